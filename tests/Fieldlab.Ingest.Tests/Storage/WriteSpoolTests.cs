using System.Buffers.Binary;
using System.Text;
using Fieldlab.Ingest.Storage;
using Fieldlab.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fieldlab.Ingest.Tests.Storage;

public sealed class WriteSpoolTests
{
    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    [Fact]
    public void AppendedBatch_ReadsBackWithItsThreeKindsOfPoints()
    {
        using var dir = new TempDirectory("spool");
        var spool = new WriteSpool(dir.Path, 1 << 20, NullLogger.Instance);
        var batch = new PointBatch { Rows = 3 };
        batch.Points.BeginPoint("alerts").Field("state", "raised").EndPoint(1);
        batch.Samples.BeginPoint("samples").Field("flow", 1.5).EndPoint(2);
        batch.Raw.BeginPoint("waveform").Field("count", 1L).EndPoint(3);
        spool.Append(batch);

        var read = new WriteSpool(dir.Path, 1 << 20, NullLogger.Instance).Peek()!;
        Assert.Equal("alerts state=\"raised\" 1\n", Text(read.Points));
        Assert.Equal("samples flow=1.5 2\n", Text(read.Samples));
        Assert.Equal("waveform count=1i 3\n", Text(read.Raw));
        Assert.Equal(3, read.Rows);
    }

    [Fact]
    public void FileOfTheFirstFormat_WithoutASamplesSection_IsStillRead()
    {
        using var dir = new TempDirectory("spool");
        // "FLSP", checksum, then points, raw, acknowledgements and rows — samples were then among the points.
        byte[][] sections = [Encoding.UTF8.GetBytes("samples flow=2 1\n"), Encoding.UTF8.GetBytes("waveform count=1i 2\n"), Encoding.UTF8.GetBytes("[]")];
        var body = new List<byte>();
        foreach (var s in sections)
        {
            var length = new byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(length, s.Length);
            body.AddRange(length);
            body.AddRange(s);
        }
        var rows = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(rows, 7);
        body.AddRange(rows);
        uint hash = 2166136261;
        foreach (var b in body) hash = (hash ^ b) * 16777619;
        var file = new byte[8 + body.Count];
        BinaryPrimitives.WriteUInt32LittleEndian(file, 0x50534C46);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), hash);
        body.CopyTo(file, 8);
        File.WriteAllBytes(Path.Combine(dir.Path, "000000000000.batch"), file);

        var read = new WriteSpool(dir.Path, 1 << 20, NullLogger.Instance).Peek()!;
        Assert.Equal("samples flow=2 1\n", Text(read.Points));
        Assert.True(read.Samples.IsEmpty);
        Assert.Equal("waveform count=1i 2\n", Text(read.Raw));
        Assert.Equal(7, read.Rows);
    }
}
