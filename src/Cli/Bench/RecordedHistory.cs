using System.Runtime.InteropServices;
using Fieldlab.Access.Demo;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Wire;
using static Fieldlab.Telemetry.Schema.FieldlabSchema;

namespace Fieldlab.Cli.Bench;

/// <summary>Recorded history for the datasets benchmark, written straight into InfluxDB in ingest's schema (samples:
/// one point per row with the rig's sensors and <c>seq</c>; raw waveforms: one point per axis and chunk of 8192
/// little-endian float32 samples, base64, in the <c>waveform_raw</c> policy), so that a freeze reads exactly what it
/// would read after an hour of ingest. The values are smooth signals with noise; their content does not matter here.</summary>
internal static class RecordedHistory
{
    private const int WaveformChunk = 8192;

    /// <summary>Writes every scalar stream of every rig at its rate over [from, to); returns the rows written.</summary>
    public static async Task<long> WriteSamplesAsync(InfluxClient influx, IReadOnlyDictionary<string, List<(string Id, string Stream, double RateHz, bool Waveform)>> rigs,
        DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var lines = new LineProtocolWriter(4 << 20);
        long rows = 0, start = UtcTimestamp.ToNanoseconds(from), end = UtcTimestamp.ToNanoseconds(to);
        var random = new Random(42);
        foreach (var (rig, sensors) in rigs)
        {
            foreach (var stream in sensors.Where(s => !s.Waveform).GroupBy(s => s.Stream))
            {
                long step = (long)(1e9 / stream.First().RateHz), seq = 0;
                for (long t = start; t < end; t += step)
                {
                    lines.BeginPoint(Samples.LineName).Tag(Tags.Rig, rig).Tag(Tags.Site, DemoTenancy.Site).Tag(Tags.Stream, stream.Key);
                    int k = 0;
                    foreach (var sensor in stream) lines.Field(sensor.Id, 10 + k++ + Math.Sin(t / 3e10) + 0.01 * random.NextDouble());
                    lines.Field(Samples.Field("seq"), seq++).EndPoint(t);
                    rows++;
                    if (lines.Length > 4_000_000) await FlushAsync(influx, lines, Samples.ExplicitRetentionPolicy, ct);
                }
            }
        }
        await FlushAsync(influx, lines, Samples.ExplicitRetentionPolicy, ct);
        return rows;
    }

    /// <summary>Writes a rig's waveform stream (every axis, at its rate) over [from, to); returns the samples per axis.</summary>
    public static async Task<long> WriteWaveformAsync(InfluxClient influx, string rig, IReadOnlyList<(string Id, string Stream, double RateHz, bool Waveform)> axes,
        DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        if (axes.Count == 0) return 0;
        var lines = new LineProtocolWriter(16 << 20);
        double rate = axes[0].RateHz;
        long total = (long)((to - from).TotalSeconds * rate), start = UtcTimestamp.ToNanoseconds(from);
        var buffer = new float[WaveformChunk];
        var random = new Random(7);
        for (long first = 0; first < total; first += WaveformChunk)
        {
            int n = (int)Math.Min(WaveformChunk, total - first);
            long t = start + (long)Math.Round(first * 1e9 / rate);
            foreach (var (axis, a) in axes.Select((x, a) => (x, a)))
            {
                for (int i = 0; i < n; i++) buffer[i] = (float)(Math.Sin(2 * Math.PI * 29.5 * (first + i) / rate + a) + 0.05 * (random.NextDouble() - 0.5));
                lines.BeginPoint(Waveform.LineName).Tag(Tags.Axis, axis.Id).Tag(Tags.Rig, rig).Tag(Tags.Site, DemoTenancy.Site).Tag(Tags.Stream, axis.Stream)
                    .Field(Waveform.Field("count"), (long)n).Field(Waveform.Field("data"), Convert.ToBase64String(MemoryMarshal.AsBytes(buffer.AsSpan(0, n)))).Field(Waveform.Field("rate_hz"), rate)
                    .Field(Waveform.Field("seq"), first).Field(Waveform.Field("unit"), "m/s²").EndPoint(t);
            }
            if (lines.Length > 12_000_000) await FlushAsync(influx, lines, Waveform.ExplicitRetentionPolicy, ct);
        }
        await FlushAsync(influx, lines, Waveform.ExplicitRetentionPolicy, ct);
        return total;
    }

    private static async Task FlushAsync(InfluxClient influx, LineProtocolWriter lines, string? policy, CancellationToken ct)
    {
        if (lines.Length == 0) return;
        await influx.WriteAsync(lines.WrittenMemory, "fieldlab", policy, ct);
        lines.Clear();
    }
}
