using Fieldlab.Access.Broker;
using Fieldlab.Api.Tests.Access;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Rigs;
using Fieldlab.Telemetry.Wire;
using Fieldlab.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Fieldlab.Api.Tests.Datasets;

/// <summary>A few seconds of a pump's history for dataset tests that do not need the big fixture: the rig's birth
/// (retained, as its gateway), <paramref name="rows"/> samples at 10 Hz from <paramref name="t0"/> written straight to
/// InfluxDB in ingest's schema, and ingest's stored-through watermark past them.</summary>
internal static class RecordedRig
{
    /// <summary>Prepares <see cref="SmallTenancy.Rig"/> in <paramref name="api"/>'s database.</summary>
    public static async Task PrepareAsync(ApiUnderTest api, ServersFixture servers, DateTime t0, int rows)
    {
        await using var gateway = await MqttConnection.ConnectAsync(api.BrokerLogin(PrincipalNames.Gateway(SmallTenancy.Rig)), null, CancellationToken.None);
        var birth = new RigBirth
        {
            Kind = "pump", Description = "recorded pump",
            Streams = [new StreamSpec { Id = "process", RateHz = 10, Sensors = [new SensorSpec { Id = "flow", Unit = "m3/h", Description = "flow" }] }],
        };
        await gateway.PublishAsync(FieldlabTopic.For(SmallTenancy.Rig, TopicChannel.Birth), WireJson.Encode(birth), MqttQos.AtLeastOnce, true, CancellationToken.None);
        using var admin = new InfluxClient(servers.Influx.ClientOptions(api.Database));
        await admin.EnsureDatabaseAsync(CancellationToken.None);
        var lines = new LineProtocolWriter();
        for (int i = 0; i < rows; i++)
            lines.BeginPoint("samples").Tag("rig", "rig-1").Tag("site", "lab").Tag("stream", "process").Field("flow", 40 + i * 0.25)
                .EndPoint(UtcTimestamp.ToNanoseconds(new DateTimeOffset(t0)) + i * 100_000_000L);
        await admin.WriteAsync(lines.WrittenMemory, CancellationToken.None);

        await StoredThroughAsync(api, new DateTimeOffset(t0.AddHours(1)));
    }

    /// <summary>Publishes ingest's stored-through watermark of the rig (retained, with ingest's broker login, as ingest
    /// does) and waits until the API has it: rows written straight to InfluxDB have no ingest to announce them.</summary>
    public static async Task StoredThroughAsync(ApiUnderTest api, DateTimeOffset through)
    {
        await using var ingest = await MqttConnection.ConnectAsync(api.BrokerLogin("svc.ingest-s"), null, CancellationToken.None);
        var stored = new StoredThrough { T = UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(DateTimeOffset.UtcNow)), Streams = [new StreamThrough("process", UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(through)))] };
        await ingest.PublishAsync(FieldlabTopic.For(SmallTenancy.Rig, TopicChannel.Stored), WireJson.Encode(stored), MqttQos.AtLeastOnce, true, CancellationToken.None);
        var book = api.Factory.Services.GetRequiredService<Fieldlab.Api.Datasets.StoredThroughBook>();
        var directory = api.Factory.Services.GetRequiredService<RigDirectory>();
        await Eventually.HoldsAsync(() => Task.FromResult(directory.TryGet(SmallTenancy.Rig, out var e) && e.Birth is not null && book.Through(SmallTenancy.Rig, e.Birth) >= through),
            TimeSpan.FromSeconds(20), () => "the birth or the stored-through watermark did not reach the API");
    }
}
