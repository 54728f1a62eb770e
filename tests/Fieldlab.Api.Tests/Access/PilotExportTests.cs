using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Fieldlab.Access.Tenancy;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Wire;
using Fieldlab.Testing;

namespace Fieldlab.Api.Tests.Access;

/// <summary>The export bundle a company takes home: every point of its pilot's rig inside the window (and nothing
/// outside it), one CSV per measurement, and a manifest whose SHA-256 sums match the files. Nobody else gets it.</summary>
[Collection("servers")]
public sealed class PilotExportTests(ServersFixture servers)
{
    [Fact]
    public async Task Bundle_HoldsExactlyTheWindowsData_WithAMatchingManifest_AndIsRefusedToOthers()
    {
        var tenancy = new SmallTenancy();
        await using var api = await ApiUnderTest.StartAsync(servers.Influx, null, tenancy.SeedAsync);
        var start = DateTime.UtcNow.AddHours(-3);
        var end = DateTime.UtcNow.AddHours(-1);
        int pilot = 0;
        await api.WithStoreAsync(async (db, _) => pilot = (await PilotBook.CreateAsync(db, "company", "export", [SmallTenancy.Rig], start, end, false, DateTime.UtcNow, CancellationToken.None)).Id);
        using (var admin = new InfluxClient(servers.Influx.ClientOptions(api.Database)))
        {
            await admin.EnsureDatabaseAsync(CancellationToken.None);
            var lines = new LineProtocolWriter();
            foreach (var (t, v) in new[] { (start.AddMinutes(-5), 1.0), (start.AddMinutes(5), 2.0), (start.AddMinutes(65), 3.0), (end.AddMinutes(5), 4.0) })
            {
                long ns = UtcTimestamp.ToNanoseconds(new DateTimeOffset(t));
                lines.BeginPoint("samples").Tag("rig", "rig-1").Tag("site", "lab").Tag("stream", "process").Field("flow", v).EndPoint(ns);
                lines.BeginPoint("energy").Tag("rig", "rig-1").Tag("site", "lab").Tag("stream", "process").Field("energy_kw", v * 10).EndPoint(ns);
            }
            await admin.WriteAsync(lines.WrittenMemory, CancellationToken.None);
        }

        using var member = api.Client(await api.TokenAsync("member"));
        using var response = await member.GetAsync($"/api/pilots/{pilot}/export");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        var manifest = JsonDocument.Parse(zip.GetEntry("manifest.json")!.Open()).RootElement;
        Assert.Equal(pilot, manifest.GetProperty("pilot").GetInt32());
        foreach (var file in manifest.GetProperty("files").EnumerateArray())
        {
            using var stream = zip.GetEntry(file.GetProperty("path").GetString()!)!.Open();
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.Equal(file.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(copy.ToArray())));
        }
        string Csv(string name)
        {
            using var reader = new StreamReader(zip.GetEntry($"lab-rig-1/{name}.csv")!.Open());
            return reader.ReadToEnd();
        }
        var samples = Csv("samples").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var flow = Array.IndexOf(samples[0].Split(','), "flow");
        Assert.Equal(["2", "3"], samples.Skip(1).Select(l => l.Split(',')[flow]).ToArray()); // inside the window only
        Assert.Equal(3, Csv("energy").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal("", Csv("alerts")); // nothing of that kind in the window

        // Another company, a student and an instructor get nothing (the pilot does not exist for them).
        foreach (var other in new[] { "pupil", "teacher" })
        {
            using var client = api.Client(await api.TokenAsync(other));
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/pilots/{pilot}/export")).StatusCode);
        }
    }
}
