using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Fieldlab.Access.Demo;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Wire;
using Parquet;

namespace Fieldlab.Cli.Bench;

/// <summary><c>bench datasets</c>: on the benchmark platform (the demo's four rigs live, every server a process), an
/// hour of the rigs' recorded history is written behind the live data in ingest's schema; then it is frozen through
/// the API while the live rigs go on — rows per second, the API's peak RSS, ingest's end-to-end latency p99 during the
/// freeze against the same figure measured just before — then every file is downloaded and the Parquet table read
/// back; and separately an hour of motor-1's 12.8 kHz, three-axis waveform is frozen into <c>waveforms.parquet</c>.
/// Last line: <c>datasets freeze_rows_per_s=N parquet_mb_per_s=M</c> (the scalar freeze's rows per second; the
/// samples Parquet file's megabytes per second read back).</summary>
public static class DatasetBenchmark
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Runs the benchmark.</summary>
    public static async Task<int> RunAsync(DatasetBenchSettings settings, CancellationToken cancellationToken)
    {
        var work = Path.Combine(Path.GetTempPath(), $"fieldlab-bench-datasets-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            return await RunInAsync(work, settings, cancellationToken);
        }
        finally
        {
            foreach (var f in Directory.EnumerateFiles(work, "*", SearchOption.AllDirectories)) File.SetAttributes(f, FileAttributes.Normal);
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<int> RunInAsync(string work, DatasetBenchSettings settings, CancellationToken ct)
    {
        Console.WriteLine($"bench datasets: {settings.History.TotalMinutes:0} min of the demo's four rigs' scalar streams; {settings.WaveformHistory.TotalMinutes:0} min of motor-1's waveform; every server a process of its own");
        // The history lies behind the moment the live rigs start, so that it and the live data never overlap.
        var historyEnd = DateTimeOffset.UtcNow.AddSeconds(-5);
        await using var platform = await BenchPlatform.StartAsync(work, 0, new Dictionary<string, string> { ["Datasets:Directory"] = Path.Combine(work, "datasets") }, ct);
        using var http = platform.Client();
        using var influx = new InfluxClient(platform.Influx.ClientOptions("fieldlab"));
        // Raw waveforms are kept one hour; an hour of history written behind the live data needs a little longer.
        await influx.QueryAsync(new InfluxQuery($"ALTER RETENTION POLICY {InfluxIdentifier.Quote(InfluxDatabaseSetup.WaveformRetentionPolicy)} ON \"fieldlab\" DURATION 4h"), ct);

        var sensors = new Dictionary<string, List<(string Id, string Stream, double RateHz, bool Waveform)>>();
        foreach (var rig in platform.Rigs)
        {
            var view = await http.GetFromJsonAsync<JsonElement>($"/api/sites/{DemoTenancy.Site}/rigs/{rig}", ct);
            sensors[rig] = [.. view.GetProperty("sensors").EnumerateArray().Select(s => (s.GetProperty("id").GetString()!, s.GetProperty("stream").GetString()!, s.GetProperty("rate_hz").GetDouble(), s.GetProperty("waveform").GetBoolean()))];
        }
        var clock = Stopwatch.StartNew();
        long written = await RecordedHistory.WriteSamplesAsync(influx, sensors, historyEnd - settings.History, historyEnd, ct);
        Console.WriteLine($"history: {written} sample rows written in {clock.Elapsed.TotalSeconds:F1} s");
        if (settings.WaveformHistory > TimeSpan.Zero)
        {
            clock.Restart();
            long samples = await RecordedHistory.WriteWaveformAsync(influx, "motor-1", sensors["motor-1"].Where(s => s.Waveform).ToList(), historyEnd - settings.WaveformHistory, historyEnd, ct);
            Console.WriteLine($"history: {samples} waveform samples per axis written in {clock.Elapsed.TotalSeconds:F1} s");
        }

        // (a) Ingest's end-to-end latency with the live rigs alone, then (b) while the scalar hour is frozen.
        double baseline = await IngestLagP99Async(platform, TimeSpan.FromSeconds(20), ct);
        Console.WriteLine($"(a) ingest end-to-end latency p99 without a freeze: {baseline:F0} ms");
        await ResetIngestAsync(platform, ct);
        var (frozen, seconds, rss) = await FreezeAsync(http, platform, historyEnd - settings.History, historyEnd, [], ct);
        double during = await IngestLagAsync(platform, ct);
        long rows = frozen.GetProperty("rows").GetInt64();
        double rowsPerSecond = rows / seconds;
        Console.WriteLine($"(b) freeze of {rows} rows of {platform.Rigs.Count} rigs in {seconds:F2} s = {rowsPerSecond:F0} rows/s; API RSS {rss.Before / 1048576.0:F0} MB before, peak {rss.Peak / 1048576.0:F0} MB; ingest latency p99 during it {during:F0} ms");

        // (c) Every file downloaded, and the Parquet table read back.
        string id = frozen.GetProperty("id").GetString()!;
        int version = frozen.GetProperty("version").GetInt32();
        string samplesParquet = Path.Combine(work, "samples.parquet");
        foreach (var file in frozen.GetProperty("files").EnumerateArray())
        {
            string name = file.GetProperty("name").GetString()!;
            clock.Restart();
            string path = Path.Combine(work, name);
            await using (var target = File.Create(path))
            {
                using var response = await http.GetAsync($"/api/datasets/{id}/versions/{version}/files/{name}", HttpCompletionOption.ResponseHeadersRead, ct);
                response.EnsureSuccessStatusCode();
                await response.Content.CopyToAsync(target, ct);
            }
            double mb = new FileInfo(path).Length / 1048576.0;
            Console.WriteLine($"(c) download {name}: {mb:F1} MB in {clock.Elapsed.TotalSeconds:F2} s = {mb / clock.Elapsed.TotalSeconds:F0} MB/s");
        }
        var (readRows, readSeconds) = await ReadParquetAsync(samplesParquet, ct);
        double parquetMb = new FileInfo(samplesParquet).Length / 1048576.0;
        double parquetMbPerSecond = parquetMb / readSeconds;
        Console.WriteLine($"(c) samples.parquet read back: {readRows} rows, {parquetMb:F1} MB in {readSeconds:F2} s = {parquetMbPerSecond:F1} MB/s");
        if (readRows != rows) throw new InvalidOperationException($"samples.parquet holds {readRows} rows, the freeze reported {rows}");

        // (d) The waveform hour, separately.
        if (settings.WaveformHistory > TimeSpan.Zero)
        {
            await ResetIngestAsync(platform, ct);
            var (waves, waveSeconds, waveRss) = await FreezeAsync(http, platform, historyEnd - settings.WaveformHistory, historyEnd, ["waveforms"], ct, rigs: ["motor-1"]);
            double waveLag = await IngestLagAsync(platform, ct);
            var file = waves.GetProperty("files").EnumerateArray().First(f => f.GetProperty("name").GetString() == "waveforms.parquet");
            long waveRows = file.GetProperty("rows").GetInt64();
            Console.WriteLine($"(d) freeze of motor-1 with its waveform: waveforms.parquet {waveRows} rows ({file.GetProperty("bytes").GetInt64() / 1048576.0:F0} MB) in {waveSeconds:F1} s = " +
                              $"{waveRows / waveSeconds:F0} waveform rows/s; API RSS {waveRss.Before / 1048576.0:F0} MB before, peak {waveRss.Peak / 1048576.0:F0} MB; ingest latency p99 during it {waveLag:F0} ms");
        }
        Console.WriteLine($"targets: freezing streams (peak RSS bounded, above); ingest latency p99 ≤ 1000 ms while freezing (got {during:F0} ms)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"datasets freeze_rows_per_s={rowsPerSecond:F0} parquet_mb_per_s={parquetMbPerSecond:F1}"));
        return 0;
    }

    // Freezes through the API as the administrator, sampling the API's resident memory every 50 ms meanwhile.
    private static async Task<(JsonElement Frozen, double Seconds, (long Before, long Peak) Rss)> FreezeAsync(HttpClient http, BenchPlatform platform, DateTimeOffset from, DateTimeOffset to,
        string[] parts, CancellationToken ct, string[]? rigs = null)
    {
        int pid = platform.Api.Pid ?? throw new InvalidOperationException("the API is not running");
        long before = ResidentBytes(pid), peak = before;
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, ResidentBytes(pid));
                await Task.Delay(50, CancellationToken.None);
            }
        }, CancellationToken.None);
        var clock = Stopwatch.StartNew();
        using var response = await http.PostAsJsonAsync("/api/datasets", new
        {
            site = DemoTenancy.Site, rigs = rigs ?? [.. platform.Rigs], from = from.ToString("O"), to = to.ToString("O"), parts,
        }, Json, ct);
        double seconds = clock.Elapsed.TotalSeconds;
        await sampling.CancelAsync();
        await sampler;
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"the freeze answered {(int)response.StatusCode}: {body}");
        return (JsonDocument.Parse(body).RootElement.Clone(), seconds, (before, peak));
    }

    private static long ResidentBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        return 0;
    }

    private static async Task<(long Rows, double Seconds)> ReadParquetAsync(string path, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        long rows = 0;
        await using var file = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(file, cancellationToken: ct);
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            int n = (int)group.RowCount;
            // Every column decoded into the type a reader would use: times, strings, optional doubles.
            foreach (var field in reader.Schema.DataFields)
            {
                if (field.ClrType == typeof(DateTime)) await group.ReadAsync<DateTime>(field, new DateTime[n], cancellationToken: ct);
                else if (field.ClrType == typeof(double)) await group.ReadAsync<double>(field, new double?[n].AsMemory(), cancellationToken: ct);
                else if (field.ClrType == typeof(float)) await group.ReadAsync<float>(field, new float?[n].AsMemory(), cancellationToken: ct);
                else if (field.ClrType == typeof(long)) await group.ReadAsync<long>(field, new long[n], cancellationToken: ct);
                else await group.ReadAsync(field, new string[n], cancellationToken: ct);
            }
            rows += n;
        }
        return (rows, clock.Elapsed.TotalSeconds);
    }

    private static async Task ResetIngestAsync(BenchPlatform platform, CancellationToken ct)
    {
        using var client = new HttpClient();
        using var reset = new HttpRequestMessage(HttpMethod.Post, $"{platform.IngestUrl}/stats/reset");
        reset.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", platform.IngestKey);
        (await client.SendAsync(reset, ct)).EnsureSuccessStatusCode();
    }

    private static async Task<double> IngestLagAsync(BenchPlatform platform, CancellationToken ct)
    {
        using var client = new HttpClient();
        var metrics = await client.GetFromJsonAsync<JsonElement>($"{platform.IngestUrl}/stats", ct);
        return metrics.GetProperty("lag_p99_ms").GetDouble();
    }

    private static async Task<double> IngestLagP99Async(BenchPlatform platform, TimeSpan window, CancellationToken ct)
    {
        await ResetIngestAsync(platform, ct);
        await Task.Delay(window, ct);
        return await IngestLagAsync(platform, ct);
    }
}
