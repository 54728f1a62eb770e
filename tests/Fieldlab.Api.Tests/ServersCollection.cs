using Fieldlab.Testing;

namespace Fieldlab.Api.Tests;

/// <summary>Integration tests of this assembly share one broker and one database.</summary>
[CollectionDefinition("servers")]
public sealed class ServersCollection : ICollectionFixture<ServersFixture>;
