
using Fieldlab.LocalServers;
using Xunit;

namespace Fieldlab.Testing;

/// <summary>One broker and one database shared by the integration tests of an assembly (collection "servers").
/// Tests that stop or kill a server start their own instead.</summary>
public sealed class ServersFixture : IAsyncLifetime
{
    /// <summary>The shared broker.</summary>
    public LocalMosquitto Mosquitto { get; private set; } = null!;

    /// <summary>The shared database server.</summary>
    public LocalInfluxDb Influx { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var broker = LocalMosquitto.StartNewAsync();
        var database = LocalInfluxDb.StartNewAsync();
        Mosquitto = await broker;
        Influx = await database;
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Mosquitto is not null) await Mosquitto.DisposeAsync();
        if (Influx is not null) await Influx.DisposeAsync();
    }
}
