using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Fieldlab.Cli.Datasets;
using Fieldlab.Gateway.Configuration;
using Fieldlab.Gateway.Publishing;
using Fieldlab.Gateway.Rigs.Pump;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Schema;
using Fieldlab.Telemetry.Wire;
using Fieldlab.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Parquet;

namespace Fieldlab.EndToEnd.Tests.Datasets;

/// <summary>A dataset from a simulated rig with a staged fault, through every real part: the gateway publishes, ingest
/// stores, the API freezes; every download of every format is byte-identical, CSV and Parquet hold exactly the rows
/// InfluxDB stored, the fault is a label; the dataset replayed into a sandbox is stored under the sandbox's site, and
/// ending the sandbox deletes those points and its rig.</summary>
[Collection("servers")]
public sealed class FrozenDatasetTests(ServersFixture servers)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task DatasetOfASimulatedRigWithAStagedFault_IsExactlyTheStoredRows_AndItsReplayIsStoredUnderTheSandboxSite_UntilTheSandboxEnds()
    {
        await using var platform = await Platform.StartAsync(servers, rigs: ["pump-1"]);
        using var dir = new TempDirectory("frozen");
        var config = GatewayConfigFile.Parse($$"""
            site: {{platform.Site}}
            rig: pump-1
            {{await platform.GatewayBrokerYamlAsync("pump-1")}}
            simulation: { kind: pump, seed: 11, rate_hz: 10 }
            publish: { batch_interval: 200ms }
            buffer: { dir: '{{dir.File("buffer")}}' }
            """, "pump.yaml");
        var gateway = new RigGateway(config, new PumpRig(11, 10), TimeProvider.System, NullLogger<RigGateway>.Instance);
        await gateway.StartAsync(CancellationToken.None);
        try
        {
            await gateway.ListeningForCommands.WaitAsync(Patience);
            var from = DateTimeOffset.UtcNow.AddSeconds(1);
            await Task.Delay(TimeSpan.FromSeconds(3));
            await StageAsync(platform, """{"id":"ds-1","action":"start","fault":"cavitation","severity":0.6}""");
            await Task.Delay(TimeSpan.FromSeconds(3));
            await StageAsync(platform, """{"id":"ds-2","action":"clear","fault":"cavitation"}""");
            await Task.Delay(TimeSpan.FromSeconds(2));
            var to = DateTimeOffset.UtcNow;

            // Freeze (as the site's instructor) once the rig's stored-through watermark has passed the range (409 until then).
            HttpResponseMessage freeze = null!;
            await Eventually.HoldsAsync(async () =>
            {
                freeze?.Dispose();
                freeze = await platform.Instructor.PostAsJsonAsync("/api/datasets", new { site = platform.Site, rigs = new[] { "pump-1" }, from = from.ToString("O"), to = to.ToString("O") });
                return freeze.StatusCode != HttpStatusCode.Conflict;
            }, TimeSpan.FromSeconds(30), () => "the watermark never passed the range");
            Assert.True(freeze.StatusCode == HttpStatusCode.Created, await freeze.Content.ReadAsStringAsync());
            var frozen = await freeze.Content.ReadFromJsonAsync<JsonElement>();
            string id = frozen.GetProperty("id").GetString()!;
            long rows = frozen.GetProperty("rows").GetInt64();
            Assert.InRange(rows, 60, 200); // 10 Hz over ~9 s
            var manifest = await platform.Instructor.GetFromJsonAsync<JsonElement>($"/api/datasets/{id}");
            var files = new Dictionary<string, byte[]>();
            foreach (var resource in manifest.GetProperty("resources").EnumerateArray())
            {
                string name = resource.GetProperty("path").GetString()!;
                var first = await platform.Instructor.GetByteArrayAsync($"/api/datasets/{id}/versions/1/files/{name}");
                var second = await platform.Instructor.GetByteArrayAsync($"/api/datasets/{id}/versions/1/files/{name}");
                Assert.Equal(first, second);
                Assert.Equal(resource.GetProperty("hash").GetString(), "sha256:" + Convert.ToHexStringLower(SHA256.HashData(first)));
                files[name] = first;
            }
            Assert.Contains("replay-pump-1-process.csv", files.Keys);

            // Exactly what InfluxDB holds for the range, in CSV and in Parquet.
            using var influx = platform.Influx();
            var stored = (await influx.QueryAsync(new InfluxQuery($"SELECT * FROM {FieldlabSchema.Samples.ReadSources} WHERE site = $site AND rig = 'pump-1' AND time >= {UtcTimestamp.ToNanoseconds(from)} AND time < {UtcTimestamp.ToNanoseconds(to)}")
                .Bind("site", platform.Site), CancellationToken.None)).Single!;
            Assert.Equal(rows, stored.Rows.Count);
            var csv = Encoding.UTF8.GetString(files["samples.csv"]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var header = csv[0].Split(',');
            Assert.Equal(["time", "rig", "stream"], header[..3]);
            var sensors = header[3..];
            Assert.Contains("flow", sensors);
            for (int r = 0; r < rows; r++)
            {
                var cells = csv[r + 1].Split(',');
                Assert.Equal(UtcTimestamp.Format(stored.GetTimeNanoseconds(r)), cells[0]);
                for (int c = 0; c < sensors.Length; c++)
                    Assert.Equal(stored.GetDouble(r, sensors[c]), cells[c + 3].Length == 0 ? null : double.Parse(cells[c + 3], CultureInfo.InvariantCulture));
            }
            using (var stream = new MemoryStream(files["samples.parquet"]))
            await using (var parquet = await ParquetReader.CreateAsync(stream))
            {
                var flows = new List<double?>();
                for (int g = 0; g < parquet.RowGroupCount; g++)
                {
                    using var group = parquet.OpenRowGroupReader(g);
                    var flow = new double?[(int)group.RowCount];
                    await group.ReadAsync<double>(parquet.Schema.DataFields.First(f => f.Name == "flow"), flow.AsMemory());
                    flows.AddRange(flow);
                }
                Assert.Equal(Enumerable.Range(0, (int)rows).Select(r => stored.GetDouble(r, "flow")), flows);
            }
            var labels = Encoding.UTF8.GetString(files["labels.csv"]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains(labels, l => l.Contains(",pump-1,truth,cavitation,0.6,", StringComparison.Ordinal) && !l.Split(',')[1].Equals("", StringComparison.Ordinal));

            // Replay into a sandbox at 10×: stored there under the sandbox's site, value for value.
            // The replay's progress lines and its gateways' logs, with ingest's counters and rejects, explain a replay that
            // is never confirmed.
            var logs = new RecordedLogs();
            using var loggers = logs.Factory();
            var progress = new StringWriter();
            var replay = new SandboxReplay(platform.Instructor, (rig, _) => platform.GatewayLoginAsync(rig), platform.Broker.Port, dir.File("sandboxes"))
            {
                Output = TextWriter.Synchronized(progress), Loggers = loggers,
            };
            string site;
            long replayed;
            try
            {
                (site, replayed) = await replay.RunAsync(id, null, 10, null, null, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(3));
            }
            catch (TimeoutException)
            {
                Assert.Fail($"""
                    the sandbox replay was not confirmed within 3 minutes
                    progress:
                    {progress}
                    gateway log:
                    {logs}
                    ingest metrics: {await platform.IngestHttp.GetStringAsync($"{platform.IngestUrl}/stats")}
                    ingest quarantine: {await platform.IngestHttp.GetStringAsync($"{platform.IngestUrl}/quarantine?limit=20")}
                    ingest log:
                    {platform.Ingest.Tail(80)}
                    broker log:
                    {platform.Broker.Tail(60)}
                    """);
                throw;
            }
            Assert.StartsWith("lab-", site);
            Assert.Equal(rows, replayed);
            var sandboxRows = (await influx.QueryAsync(new InfluxQuery($"SELECT flow FROM {FieldlabSchema.Samples.ReadSources} WHERE site = $site AND rig = 'pump-1'").Bind("site", site), CancellationToken.None)).Single!;
            Assert.Equal(rows, sandboxRows.Rows.Count);
            Assert.Equal(Enumerable.Range(0, (int)rows).Select(r => stored.GetDouble(r, "flow")), Enumerable.Range(0, (int)rows).Select(r => sandboxRows.GetDouble(r, "flow")));
            var listed = await platform.Instructor.GetFromJsonAsync<JsonElement>("/api/sandboxes");
            Assert.Contains(listed.EnumerateArray(), s => s.GetProperty("site").GetString() == site && s.GetProperty("rows").GetInt64() == rows && s.GetProperty("finished_at").ValueKind != JsonValueKind.Null);
            Assert.Equal(HttpStatusCode.OK, (await platform.Instructor.GetAsync($"/api/sites/{site}/rigs/pump-1")).StatusCode);

            // Ending it deletes its points, its rig and its retained birth; the real site's data stays.
            Assert.Equal(HttpStatusCode.NoContent, (await platform.Instructor.DeleteAsync($"/api/sandboxes/{site}")).StatusCode);
            Assert.Null((await influx.QueryAsync(new InfluxQuery("SELECT count(*) FROM /.*/ WHERE site = $site").Bind("site", site), CancellationToken.None)).Single);
            Assert.Equal(HttpStatusCode.NotFound, (await platform.Instructor.GetAsync($"/api/sites/{site}/rigs/pump-1")).StatusCode);
            Assert.Empty((await platform.Instructor.GetFromJsonAsync<JsonElement>("/api/sandboxes")).EnumerateArray());
            var directory = (Fieldlab.Telemetry.Rigs.RigDirectory)platform.Api.Services.GetService(typeof(Fieldlab.Telemetry.Rigs.RigDirectory))!;
            await Eventually.HoldsAsync(() => Task.FromResult(!directory.TryGet(new RigAddress(site, "pump-1"), out var e) || e.Birth is null), TimeSpan.FromSeconds(20),
                () => "the sandbox rig's retained birth is still there");
            Assert.Equal(rows, (await influx.QueryAsync(new InfluxQuery($"SELECT flow FROM {FieldlabSchema.Samples.ReadSources} WHERE site = $site AND rig = 'pump-1' AND time >= {UtcTimestamp.ToNanoseconds(from)} AND time < {UtcTimestamp.ToNanoseconds(to)}")
                .Bind("site", platform.Site), CancellationToken.None)).Single!.Rows.Count);
        }
        finally
        {
            await gateway.StopAsync(CancellationToken.None);
            gateway.Dispose();
        }
    }

    private static async Task StageAsync(Platform platform, string command)
    {
        using var response = await platform.Instructor.PostAsync(platform.Rig("pump-1", "faults"), new StringContent(command, Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
