using Fieldlab.Testing;

namespace Fieldlab.Ingest.Tests;

/// <summary>Integration tests of this assembly share one broker and one database.</summary>
[CollectionDefinition("servers")]
public sealed class ServersCollection : ICollectionFixture<ServersFixture>;
