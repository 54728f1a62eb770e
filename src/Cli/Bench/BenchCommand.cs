using System.CommandLine;

namespace Fieldlab.Cli.Bench;

/// <summary><c>bench ingest|gateway|features</c>: the throughput measurements, each on private servers.</summary>
internal static class BenchCommand
{
    /// <summary>The <c>bench</c> command and its subcommands.</summary>
    public static Command Create() => new("bench", "Measure throughput on private servers started for the run; the last line is key=value.")
    {
        Ingest(),
        Gateway(),
        Features(),
        ConsoleViewers(),
        Datasets(),
    };

    private static Command Ingest()
    {
        var defaults = new IngestBenchSettings();
        var rows = new Option<long>("--rows") { Description = "Rows of the bench rig each load publishes (1 row = 1 point)", DefaultValueFactory = _ => defaults.Rows };
        var batch = new Option<int>("--batch") { Description = "Rows per MQTT message (QoS 1)", DefaultValueFactory = _ => defaults.Batch };
        var sensors = new Option<int>("--sensors") { Description = "Sensors (values) per row", DefaultValueFactory = _ => defaults.Sensors };
        var dbBatch = new Option<int>("--db-batch") { Description = "Points per line-protocol batch for the database ceiling", DefaultValueFactory = _ => defaults.DatabaseBatch };
        var dbWriters = new Option<int>("--db-writers") { Description = "Concurrent writers for the database ceiling", DefaultValueFactory = _ => defaults.DatabaseWriters };
        var latency = new Option<double>("--latency-seconds") { Description = "Duration of the latency run at half the end-to-end rate", DefaultValueFactory = _ => defaults.LatencySeconds };
        var ingestWriters = new Option<int>("--ingest-writers") { Description = "Ingest's database writers (Ingest:Writers)", DefaultValueFactory = _ => defaults.IngestWriters };
        var ingestBatch = new Option<int>("--ingest-batch") { Description = "Ingest's points per database batch (Ingest:MaxBatchPoints)", DefaultValueFactory = _ => defaults.IngestBatch };
        var warmup = new Option<long>("--warmup-rows") { Description = "Rows through ingest before (c) is timed (0: time a cold start)", DefaultValueFactory = _ => defaults.WarmupRows };
        var command = new Command("ingest", "End-to-end ingest throughput against the broker and database ceilings. Last line: ingest points_per_s=N ratio_to_ceiling=R")
        {
            rows, batch, sensors, dbBatch, dbWriters, latency, ingestWriters, ingestBatch, warmup,
        };
        command.SetAction((result, cancellationToken) => IngestBenchmark.RunAsync(new IngestBenchSettings
        {
            Rows = result.GetValue(rows),
            Batch = result.GetValue(batch),
            Sensors = result.GetValue(sensors),
            DatabaseBatch = result.GetValue(dbBatch),
            DatabaseWriters = result.GetValue(dbWriters),
            LatencySeconds = result.GetValue(latency),
            IngestWriters = result.GetValue(ingestWriters),
            IngestBatch = result.GetValue(ingestBatch),
            WarmupRows = result.GetValue(warmup),
        }, cancellationToken));
        return command;
    }

    private static Command Gateway()
    {
        var defaults = new GatewayBenchSettings();
        var rows = new Option<int>("--rows") { Description = "Rows of the replayed recording", DefaultValueFactory = _ => defaults.Rows };
        var sensors = new Option<int>("--sensors") { Description = "Sensors (columns) per row", DefaultValueFactory = _ => defaults.Sensors };
        var batch = new Option<int>("--batch") { Description = "Rows per published message", DefaultValueFactory = _ => defaults.Batch };
        var command = new Command("gateway", "The gateway's sustained publish rate, confirmed by the broker, against mosquitto_pub. Last line: gateway samples_per_s=N rows_per_s=R waveform_bytes_per_sample=B")
        {
            rows, sensors, batch,
        };
        command.SetAction((result, cancellationToken) => GatewayBenchmark.RunAsync(new GatewayBenchSettings
        {
            Rows = result.GetValue(rows),
            Sensors = result.GetValue(sensors),
            Batch = result.GetValue(batch),
        }, cancellationToken));
        return command;
    }

    private static Command ConsoleViewers()
    {
        var defaults = new ConsoleBenchSettings();
        var extra = new Option<int>("--extra-rigs") { Description = "Simulated pumps added to the demo's four rigs", DefaultValueFactory = _ => defaults.ExtraRigs };
        var sse = new Option<int>("--sse-viewers") { Description = "Plain Server-Sent-Events viewers of the site's stream", DefaultValueFactory = _ => defaults.SseViewers };
        var browsers = new Option<int>("--browser-viewers") { Description = "Headless Chromium pages on motor-1's rig page", DefaultValueFactory = _ => defaults.BrowserViewers };
        var seconds = new Option<int>("--seconds") { Description = "Measured seconds with the viewers connected", DefaultValueFactory = _ => (int)defaults.Measure.TotalSeconds };
        var command = new Command("console", "Live viewers of the console: publish → drawn latency in real browser pages, LCP, CPU per viewer. Last line: console latency_p99_ms=N viewers=V api_cpu_pct_per_viewer=C")
        {
            extra, sse, browsers, seconds,
        };
        command.SetAction((result, cancellationToken) => ConsoleBenchmark.RunAsync(new ConsoleBenchSettings
        {
            ExtraRigs = result.GetValue(extra),
            SseViewers = result.GetValue(sse),
            BrowserViewers = result.GetValue(browsers),
            Measure = TimeSpan.FromSeconds(Math.Max(5, result.GetValue(seconds))),
        }, cancellationToken));
        return command;
    }

    private static Command Datasets()
    {
        var defaults = new DatasetBenchSettings();
        var minutes = new Option<int>("--minutes") { Description = "Minutes of the four rigs' scalar history to freeze", DefaultValueFactory = _ => (int)defaults.History.TotalMinutes };
        var waveform = new Option<int>("--waveform-minutes") { Description = "Minutes of motor-1's 12.8 kHz waveform to freeze separately (0: skip)", DefaultValueFactory = _ => (int)defaults.WaveformHistory.TotalMinutes };
        var command = new Command("datasets", "Freezing datasets: rows per second, peak memory, ingest latency meanwhile, exports, Parquet read back. Last line: datasets freeze_rows_per_s=N parquet_mb_per_s=M")
        {
            minutes, waveform,
        };
        command.SetAction((result, cancellationToken) => DatasetBenchmark.RunAsync(new DatasetBenchSettings
        {
            History = TimeSpan.FromMinutes(Math.Max(1, result.GetValue(minutes))),
            WaveformHistory = TimeSpan.FromMinutes(Math.Clamp(result.GetValue(waveform), 0, 180)),
        }, cancellationToken));
        return command;
    }

    private static Command Features()
    {
        var defaults = new FeaturesBenchSettings();
        var rounds = new Option<int>("--rounds") { Description = "Rounds, each running the C reference and then Fieldlab (at least 1)", DefaultValueFactory = _ => defaults.Rounds };
        var passes = new Option<int>("--passes") { Description = "Timed passes per program per round (at least 1)", DefaultValueFactory = _ => defaults.Passes };
        // No default in the parser: the fallback depends on the environment at run time, not at parse time.
        var reference = new Option<string>("--ref") { Description = "The features-ref source folder [default: $FIELDLAB_FEATURES_REF, else ../shared/bench/features-ref]", HelpName = "DIR" };
        var command = new Command("features", "Vibration features against the C/FFTW reference. Last line: features x_realtime_per_core=N ratio_to_fftw=R")
        {
            rounds, passes, reference,
        };
        command.SetAction((result, cancellationToken) => FeaturesBenchmark.RunAsync(new FeaturesBenchSettings
        {
            Rounds = result.GetValue(rounds),
            Passes = result.GetValue(passes),
            ReferenceDirectory = result.GetValue(reference),
        }, cancellationToken));
        return command;
    }
}
