using System.Diagnostics;
using Fieldlab.Gateway.Configuration;
using Fieldlab.Gateway.Publishing;
using Fieldlab.Telemetry.Wire;
using Microsoft.Extensions.Logging;

namespace Fieldlab.Gateway.Replay;

/// <summary>Publishes a recorded CSV as a rig: every row and value as recorded, at the configured speed, with original
/// or shifted timestamps; the recording's labels become ground truth.</summary>
/// <remarks>
/// Shifted timestamps: at 1× the first row is stamped "now" and the recording plays forward in real time; faster than
/// real time the recording is moved so that it ends at the moment the replay starts (spacing kept), because stamping
/// rows in the future would make ingest reject them. Malformed rows are reported with their line number and skipped
/// or end the replay (<c>on_error</c>). At <c>max</c> speed the replay waits while the gateway's buffer is more than half
/// full, so that it cannot overrun its own buffer.
/// </remarks>
public sealed partial class ReplaySource(ReplayConfig config, PublishConfig publish, TimeProvider time, ILogger logger)
{
    /// <summary>Rows published so far.</summary>
    public long RowsPublished { get; private set; }

    /// <summary>Rows rejected as malformed so far.</summary>
    public long RowsRejected { get; private set; }

    /// <summary>The problems found, with line numbers (the most recent 100).</summary>
    public List<string> Problems { get; } = [];

    /// <summary>The streams the birth announces (one stream; sensors from the header).</summary>
    public StreamSpec Describe()
    {
        using var reader = RecordingReader.Open(config.File, config.Format);
        var f = reader.Format;
        var sensors = new List<SensorSpec>();
        for (int s = 0; s < f.SensorIds.Count; s++)
        {
            var column = f.Columns[f.SensorColumns[s]];
            var unit = config.Units.GetValueOrDefault(column) ?? (reader.Units.Count > f.SensorColumns[s] && reader.Units[f.SensorColumns[s]].Length > 0 ? reader.Units[f.SensorColumns[s]] : "1");
            sensors.Add(new SensorSpec { Id = f.SensorIds[s], Unit = unit, Description = $"Replayed column '{column}' of {Path.GetFileName(config.File)}" });
        }
        // A recorded rate is not known in advance; the birth states 1 Hz (SKAB's rate) unless the rows say otherwise.
        return new StreamSpec { Id = config.Stream, RateHz = 1, Sensors = sensors };
    }

    /// <summary>True once the whole file has been written to the outbox (never for a looping replay).</summary>
    public bool Finished { get; private set; }

    /// <summary>Why the replay ended before the end of its file (a malformed row with <c>on_error: stop</c>, a failure
    /// reading or buffering); null while it runs or once it finished. Whoever waits for <see cref="Finished"/> must
    /// watch this too.</summary>
    public string? StoppedBecause { get; private set; }

    /// <summary>Replays the file (in a loop if configured) into <paramref name="writer"/>.</summary>
    public async Task RunAsync(OutboxWriter writer, CancellationToken cancellationToken)
    {
        try
        {
            await PlayFileAsync(writer, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            StoppedBecause = e.Message;
            LogFailed(config.File, RowsPublished, e);
            throw;
        }
    }

    private async Task PlayFileAsync(OutboxWriter writer, CancellationToken cancellationToken)
    {
        long loopOffset = 0;
        do
        {
            var (first, last) = Span();
            if (first is null)
            {
                // Nothing to play is a replay that is done, not one that never ends.
                LogEmpty(config.File);
                Finished = true;
                return;
            }
            long wallStart = UtcTimestamp.ToNanoseconds(time.GetUtcNow());
            double speed = config.SpeedFactor;
            long shift = config.Timestamps == "original" ? 0
                : speed == 1 ? wallStart - first.Value
                : wallStart - last!.Value - 1_000_000;
            shift += loopOffset;
            bool stopped = await PlayAsync(writer, first.Value, shift, speed, cancellationToken);
            if (stopped) return;
            loopOffset += last!.Value - first.Value + 1_000_000_000;
        }
        while (config.Loop && !cancellationToken.IsCancellationRequested);
        LogFinished(config.File, RowsPublished, RowsRejected);
        Finished = true;
    }

    private (long? First, long? Last) Span()
    {
        using var reader = RecordingReader.Open(config.File, config.Format);
        long? first = null, last = null;
        while (reader.TryRead(out var row, out var error))
        {
            if (error is not null) continue;
            first ??= row.TimeNs;
            last = row.TimeNs;
        }
        return (first, last);
    }

    private async Task<bool> PlayAsync(OutboxWriter writer, long firstNs, long shiftNs, double speed, CancellationToken cancellationToken)
    {
        using var reader = RecordingReader.Open(config.File, config.Format);
        var sensors = reader.Format.SensorIds;
        var times = new List<long>();
        var values = new List<double>();
        var truth = new List<TruthEvent>();
        double? anomaly = 0;
        long started = time.GetTimestamp();
        TimeSpan Elapsed() => time.GetElapsedTime(started);
        var lastFlush = Elapsed();
        while (reader.TryRead(out var row, out var error))
        {
            if (error is not null)
            {
                RowsRejected++;
                if (Problems.Count == 100) Problems.RemoveAt(0);
                Problems.Add(error.Message);
                LogMalformed(config.File, error.Message);
                if (config.OnError == "stop")
                {
                    Flush(writer, sensors, times, values, truth);
                    LogStopped(config.File, error.Line);
                    StoppedBecause = $"line {error.Line}: {error.Message} (on_error: stop)";
                    return true;
                }
                continue;
            }
            if (double.IsFinite(speed))
            {
                var due = TimeSpan.FromTicks((long)((row.TimeNs - firstNs) / 100 / speed));
                if (due > Elapsed())
                {
                    Flush(writer, sensors, times, values, truth);
                    // Measured again after the flush: on a busy machine the flush can outlast the wait, and a negative
                    // delay throws (−1 ms would even wait forever) — either ended the replay without a word.
                    var wait = due - Elapsed();
                    if (wait > TimeSpan.Zero) await Task.Delay(wait, time, cancellationToken);
                    lastFlush = Elapsed();
                }
            }
            else
            {
                while (writer.Outbox.Statistics(0).BufferedBytes > MaxBufferedBytes / 2)
                {
                    Flush(writer, sensors, times, values, truth);
                    await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken);
                }
            }
            long stamped = row.TimeNs + shiftNs;
            if (row.Anomaly is { } a && a != anomaly)
            {
                truth.Add(new TruthEvent(UtcTimestamp.Format(stamped), "anomaly", a == 1 ? "start" : "clear", a, 0, "replay"));
                anomaly = a;
            }
            times.Add(stamped);
            values.AddRange(row.Values);
            if (times.Count >= publish.MaxRowsPerBatch || Elapsed() - lastFlush >= publish.BatchInterval)
            {
                Flush(writer, sensors, times, values, truth);
                lastFlush = Elapsed();
            }
        }
        Flush(writer, sensors, times, values, truth);
        return false;
    }

    /// <summary>Buffer size the <c>max</c> speed stays below half of.</summary>
    public long MaxBufferedBytes { get; init; } = 256L * 1024 * 1024;

    private void Flush(OutboxWriter writer, IReadOnlyList<string> sensors, List<long> times, List<double> values, List<TruthEvent> truth)
    {
        if (times.Count > 0)
        {
            writer.AppendRows(config.Stream, sensors, times.ToArray(), values.ToArray());
            RowsPublished += times.Count;
            times.Clear();
            values.Clear();
        }
        if (truth.Count > 0)
        {
            writer.AppendTruth([.. truth]);
            truth.Clear();
        }
    }

    [LoggerMessage(1201, LogLevel.Warning, "Replay {File}: malformed row skipped: {Problem}")]
    private partial void LogMalformed(string file, string problem);

    [LoggerMessage(1202, LogLevel.Error, "Replay {File} stopped at line {Line} (on_error: stop).")]
    private partial void LogStopped(string file, int line);

    [LoggerMessage(1203, LogLevel.Information, "Replay {File} finished: {Rows} rows published, {Rejected} malformed rows skipped.")]
    private partial void LogFinished(string file, long rows, long rejected);

    [LoggerMessage(1204, LogLevel.Warning, "Replay {File} holds no valid rows.")]
    private partial void LogEmpty(string file);

    [LoggerMessage(1205, LogLevel.Error, "Replay {File} failed after {Rows} rows.")]
    private partial void LogFailed(string file, long rows, Exception error);
}
