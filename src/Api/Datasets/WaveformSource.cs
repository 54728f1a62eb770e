using Fieldlab.Access.Rights;
using Fieldlab.Api.Data;
using Fieldlab.Datasets;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Schema;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Datasets;

/// <summary>One waveform stream of a rig, read from the raw frames (<c>waveform_raw.waveform</c>: a point per axis and
/// chunk of ≤ 8192 samples, base64 float32) page by page within the freezer's data windows, and joined back into blocks
/// of all axes per chunk. Memory: one page of points and one chunk of decoded samples per axis, whatever the range.</summary>
internal sealed class WaveformSource(RigDataReader reader, RigAddress rig, WindowSet windows, StreamSpec stream, IReadOnlyDictionary<string, int> columnOf, int width)
{
    // 48 points of 8192 samples are ~2 MB of JSON per query; a three-axis chunk is never split between pages.
    private const int Page = 48;

    // Samples per raw point (ingest's WaveformProcessor.RawChunk): the decode buffers' usual size.
    private const int Chunk = 8192;

    /// <summary>The stream's chunks in [from, to) in time order. A block's buffers are reused for the next one.</summary>
    public async IAsyncEnumerable<WaveformBlock> ReadAsync(DateTimeOffset from, DateTimeOffset to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var select = new RigSelect(FieldlabSchema.Waveform, "\"axis\", \"count\", \"data\", \"rate_hz\", \"seq\"", "stream = $stream",
            new Dictionary<string, string> { ["stream"] = stream.Id }, Limit: Page);
        var buffers = new float[width][];
        var axes = new ReadOnlyMemory<float>[width];
        await foreach (var rows in TimeGroupPager.PagesAsync(reader, rig, windows, select, from, to, ct))
        {
            int dataColumn = rows.ColumnIndex("data"), seqColumn = rows.ColumnIndex("seq");
            for (int start = 0; start < rows.Rows.Count;)
            {
                long t = rows.TimeNanoseconds(start);
                int end = start;
                while (end < rows.Rows.Count && rows.TimeNanoseconds(end) == t) end++;
                Array.Fill(axes, ReadOnlyMemory<float>.Empty);
                int count = 0;
                for (int r = start; r < end; r++)
                {
                    if (rows.Text(r, "axis") is not { } axis || !columnOf.TryGetValue(axis, out int column)) continue;
                    var bytes = rows.Rows[r][dataColumn].GetBytesFromBase64();
                    int n = bytes.Length / sizeof(float);
                    if (buffers[column] is not { } buffer || buffer.Length < n) buffers[column] = buffer = new float[Math.Max(n, Chunk)];
                    // The frames are little-endian float32 (docs/telemetry.md), as is every platform .NET runs Fieldlab on.
                    Buffer.BlockCopy(bytes, 0, buffer, 0, n * sizeof(float));
                    axes[column] = buffer.AsMemory(0, n);
                    count = Math.Max(count, n);
                }
                if (count > 0)
                {
                    double rate = rows.Number(start, "rate_hz") ?? stream.RateHz;
                    long seq = seqColumn >= 0 && rows.Rows[start][seqColumn].ValueKind == System.Text.Json.JsonValueKind.Number ? rows.Rows[start][seqColumn].GetInt64() : 0;
                    yield return new WaveformBlock(rig.Rig, stream.Id, t, rate, seq, count, axes);
                }
                start = end;
            }
        }
    }
}
