using System.Globalization;
using System.Text;
using Fieldlab.Gateway.Configuration;
using Fieldlab.Gateway.Publishing;
using Fieldlab.Gateway.Replay;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Wire;
using Fieldlab.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fieldlab.Gateway.Tests.Replay;

[Collection("servers")]
public sealed class ReplayTests(ServersFixture servers) : IDisposable
{
    private readonly TempDirectory _dir = new("replay");

    public void Dispose() => _dir.Dispose();

    private static readonly string[] SkabColumns = ["datetime", "Accelerometer1RMS", "Accelerometer2RMS", "Current", "Pressure", "Temperature", "Thermocouple", "Voltage", "Volume Flow RateRMS", "anomaly", "changepoint"];

    /// <summary>A small file in SKAB's exact layout with awkward but valid numbers.</summary>
    private string WriteSkab(int rows, out List<double[]> values, out List<int> anomaly)
    {
        var random = new Random(5);
        values = [];
        anomaly = [];
        var text = new StringBuilder(string.Join(';', SkabColumns)).Append('\n');
        var start = new DateTime(2020, 3, 9, 10, 14, 33, DateTimeKind.Utc);
        for (int r = 0; r < rows; r++)
        {
            var row = Enumerable.Range(0, 8).Select(i => Math.Round((random.NextDouble() - 0.2) * Math.Pow(10, i - 3), 7)).ToArray();
            int a = r is >= 80 and < 120 ? 1 : 0;
            values.Add(row);
            anomaly.Add(a);
            text.Append(start.AddSeconds(r).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append(';')
                .Append(string.Join(';', row.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))).Append(';')
                .Append(a.ToString("0.0", CultureInfo.InvariantCulture)).Append(';').Append(r == 80 ? "1.0" : "0.0").Append('\n');
        }
        var path = _dir.File("skab.csv");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private GatewayConfig Config(string site, string file, string extra = "") => GatewayConfigFile.Parse($$"""
        site: {{site}}
        rig: skab-1
        broker: { host: 127.0.0.1, port: {{servers.Mosquitto.Port}} }
        replay: { file: '{{file}}', speed: max, timestamps: original, kind: pump {{extra}} }
        publish: { batch_interval: 50ms, max_rows_per_batch: 37 }
        buffer: { dir: '{{_dir.File("buffer-" + site)}}' }
        delivery: { confirm: broker }
        """, "replay.yaml");

    [Fact]
    public async Task SkabFile_ReplaysWithEveryRowAndValueIntact_AndItsLabelsAsGroundTruth()
    {
        var site = "replay-" + Guid.NewGuid().ToString("N")[..8];
        var file = WriteSkab(200, out var expected, out _);
        await using var observer = await MqttConnection.ConnectAsync(servers.Mosquitto.ClientOptions("obs-" + site), null, CancellationToken.None);
        await observer.SubscribeAsync($"fieldlab/{site}/#", MqttQos.AtLeastOnce, CancellationToken.None);

        var gateway = new RigGateway(Config(site, file), null, TimeProvider.System, NullLogger<RigGateway>.Instance);
        await gateway.StartAsync(CancellationToken.None);
        var rows = new SortedDictionary<long, (long T, Dictionary<string, double> V)>();
        var truth = new List<TruthEvent>();
        RigBirth? birth = null;
        var batch = new DecodedSampleBatch();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (rows.Count < 200 || truth.Count < 2 || birth is null)
        {
            var m = await observer.Messages.ReadAsync(timeout.Token);
            if (m.Topic.EndsWith("/birth")) WireJson.TryDecodeBirth(m.Payload, out birth, out _);
            else if (m.Topic.EndsWith("/truth") && WireJson.TryDecodeTruth(m.Payload, out var t, out _)) truth.AddRange(t!.Events);
            else if (m.Topic.EndsWith("samples") && SampleBatchReader.TryRead(m.Payload, batch, out _, out _))
            {
                for (int r = 0; r < batch.RowCount; r++)
                {
                    var range = batch.RowValues(r);
                    var v = new Dictionary<string, double>();
                    for (int i = range.Start.Value; i < range.End.Value; i++) v[batch.SensorName(batch.SensorIndexes[i])] = batch.Values[i];
                    rows[batch.FirstSeq + r] = (batch.RowTime(r), v);
                }
            }
        }
        await gateway.StopAsync(CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 200).Select(i => (long)i), rows.Keys);
        string[] ids = ["accelerometer1rms", "accelerometer2rms", "current", "pressure", "temperature", "thermocouple", "voltage", "volume_flow_raterms"];
        Assert.Equal(ids, birth!.Streams.Single().Sensors.Select(s => s.Id));
        var start = UtcTimestamp.ToNanoseconds(new DateTimeOffset(2020, 3, 9, 10, 14, 33, TimeSpan.Zero));
        foreach (var (seq, (t, v)) in rows)
        {
            Assert.Equal(start + seq * 1_000_000_000L, t);
            for (int i = 0; i < ids.Length; i++) Assert.Equal(expected[(int)seq][i], v[ids[i]]); // bit-exact
        }
        Assert.Equal([("start", 1.0), ("clear", 0.0)], truth.Select(e => (e.Action, e.Severity)));
        Assert.Equal(UtcTimestamp.Format(start + 80 * 1_000_000_000L), truth[0].T);
    }

    [Fact]
    public void MalformedRows_AreReportedWithTheirLineNumbers_AndSkipped()
    {
        var path = _dir.File("broken.csv");
        File.WriteAllText(path, string.Join('\n',
            string.Join(';', SkabColumns),
            "2020-03-09 10:14:33;1;2;3;4;5;6;7;8;0;0",
            "2020-03-09 10:14:34;1;2;3;4;5;6;7;0;0",
            "2020-03-09 10:14:35;1;2;x;4;5;6;7;8;0;0",
            "not a date;1;2;3;4;5;6;7;8;0;0",
            "2020-03-09 10:14:37;1;2;3;4;NaN;6;7;8;0;0",
            "2020-03-09 10:14:38;1;2;3;4;5;6;7;8;2;0",
            "2020-03-09 10:14:39;1;2;3;4;5;6;7;8;0;0") + "\n");
        using var reader = RecordingReader.Open(path, "auto");
        var good = new List<int>();
        var errors = new List<RecordingException>();
        while (reader.TryRead(out var row, out var error))
        {
            if (error is null) good.Add(row.Line);
            else errors.Add(error);
        }
        Assert.Equal([2, 8], good);
        Assert.Equal([3, 4, 5, 6, 7], errors.Select(e => e.Line));
        Assert.Contains("expected 11 columns, found 10", errors[0].Message);
        Assert.Contains("'x' in column 'Current'", errors[1].Message);
        Assert.Contains("'not a date'", errors[2].Message);
        Assert.Contains("'NaN'", errors[3].Message);
        Assert.Contains("not 0 or 1", errors[4].Message);
    }

    [Fact]
    public async Task OnErrorStop_EndsTheReplayAtTheBadLine()
    {
        var path = _dir.File("stop.csv");
        File.WriteAllText(path, "datetime;a;b;anomaly;changepoint\n2020-01-01 00:00:00;1;2;0;0\n2020-01-01 00:00:01;1;oops;0;0\n2020-01-01 00:00:02;1;2;0;0\n");
        var config = Config("stop-" + Guid.NewGuid().ToString("N")[..6], path, ", on_error: stop");
        var replay = new ReplaySource(config.Replay!, config.Publish, TimeProvider.System, NullLogger.Instance);
        using var outbox = Fieldlab.Gateway.Buffering.Outbox.Open(new() { Directory = _dir.File("stop-buffer") }, TimeProvider.System, NullLogger.Instance);
        await replay.RunAsync(new OutboxWriter(outbox, 100), CancellationToken.None);
        Assert.Equal(1, replay.RowsPublished);
        Assert.Equal(1, replay.RowsRejected);
        Assert.StartsWith("line 3:", Assert.Single(replay.Problems));
    }

    [Fact]
    public async Task TimedReplay_OnAMachineSoBusyThatAFlushOutlastsTheWait_StillPlaysTheWholeFile()
    {
        var path = _dir.File("busy.csv");
        File.WriteAllLines(path, ["datetime;a;b;anomaly;changepoint", .. Enumerable.Range(0, 40).Select(i => $"2020-01-01 00:00:{i:00};{i};2;0;0")]);
        var config = Config("busy-" + Guid.NewGuid().ToString("N")[..6], path);
        config.Replay!.Speed = "10";
        var replay = new ReplaySource(config.Replay, config.Publish, new StallingClock(), NullLogger.Instance);
        using var outbox = Fieldlab.Gateway.Buffering.Outbox.Open(new() { Directory = _dir.File("busy-buffer") }, TimeProvider.System, NullLogger.Instance);
        await replay.RunAsync(new OutboxWriter(outbox, 100), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Null(replay.StoppedBecause);
        Assert.True(replay.Finished);
        Assert.Equal(40, replay.RowsPublished);
    }

    // Every reading of the clock is 30 ms after the previous one: the time spent between deciding to wait for a row
    // (due 100 ms apart at 10×) and starting the wait can exceed what was left of it.
    private sealed class StallingClock : TimeProvider
    {
        private long _ticks;

        public override long GetTimestamp() => Interlocked.Add(ref _ticks, TimeSpan.FromMilliseconds(30).Ticks * TimestampFrequency / TimeSpan.TicksPerSecond);
    }

    [Fact]
    public void FieldlabExport_IsReadWithItsUnits()
    {
        var path = _dir.File("export.csv");
        File.WriteAllText(path, "# fieldlab export v1 site=techport rig=pump-1 stream=process\n# units,,m3/h,bar\ntime,flow,discharge_pressure\n2026-11-22T07:00:00.000000Z,34.5,\n2026-11-22T07:00:00.100000Z,34.25,2.75\n");
        using var reader = RecordingReader.Open(path, "auto");
        Assert.Equal("fieldlab", reader.Format.Name);
        Assert.Equal(["flow", "discharge_pressure"], reader.Format.SensorIds);
        Assert.Equal("m3/h", reader.Units[1]);
        Assert.True(reader.TryRead(out var first, out var error) && error is null);
        Assert.Equal(34.5, first.Values[0]);
        Assert.True(double.IsNaN(first.Values[1]), "an empty cell is no reading, not zero");
    }

    [Theory]
    [InlineData("Volume Flow RateRMS", "volume_flow_raterms")]
    [InlineData("Accelerometer1RMS", "accelerometer1rms")]
    [InlineData("1st sensor", "s_1st_sensor")]
    [InlineData("Temp (°C)", "temp_c")]
    public void ColumnNames_BecomeValidSensorIds(string column, string id)
    {
        Assert.Equal(id, RecordingFormat.SensorId(column));
    }
}
