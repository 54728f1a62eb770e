using Fieldlab.LocalServers;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Tests.Alerts;

/// <summary>Puts an alert into the API's database as ingest stores it (as the admin: the alert is the data under
/// test, not the path it came by) and names its occurrence.</summary>
public static class StoredAlert
{
    /// <summary>Writes a raised alert at <paramref name="t"/> (plus <paramref name="extraNs"/>); returns its occurrence key.</summary>
    public static async Task<string> RaiseAsync(LocalInfluxDb influx, string database, RigAddress rig, string id, DateTime t, string kind = "bearing", long extraNs = 0)
    {
        using var admin = new InfluxClient(influx.ClientOptions(database));
        await admin.EnsureDatabaseAsync(CancellationToken.None);
        long ns = UtcTimestamp.ToNanoseconds(new DateTimeOffset(t)) + extraNs;
        var lines = new LineProtocolWriter();
        lines.BeginPoint("alerts").Tag("id", id).Tag("rig", rig.Rig).Tag("site", rig.Site).Field("state", "raised").Field("kind", kind)
            .Field("summary", $"{id} on {rig}").Field("score", 9.0).Field("limit", 5.0).EndPoint(ns);
        await admin.WriteAsync(lines.WrittenMemory, CancellationToken.None);
        return $"{id}@{ns}";
    }
}
