using System.Text;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Telemetry.Tests.Wire;

public sealed class SampleBatchReaderTests
{
    private static (bool Ok, DecodedSampleBatch Batch, string Reason, string Detail) Read(string json)
    {
        var batch = new DecodedSampleBatch();
        bool ok = SampleBatchReader.TryRead(Encoding.UTF8.GetBytes(json), batch, out var reason, out var detail);
        return (ok, batch, reason, detail);
    }

    private const string Valid = """
        {"v":1,"stream":"process","seq":100,"samples":[
          {"t":"2026-11-22T07:00:00.000000Z","flow":42.5,"pressure":3.25},
          {"t":"2026-11-22T07:00:00.100000Z","flow":42.25,"pressure":3.5}]}
        """;

    [Fact]
    public void ValidBatch_DecodesStreamSeqRowsAndValues()
    {
        var (ok, batch, _, _) = Read(Valid);
        Assert.True(ok);
        Assert.Equal("process", batch.Stream);
        Assert.Equal(100, batch.FirstSeq);
        Assert.Equal(2, batch.RowCount);
        Assert.Empty(batch.RowRejections);
        Assert.Equal(100_000_000, batch.RowTime(1) - batch.RowTime(0));
        var row1 = batch.RowValues(1);
        Assert.Equal(["flow", "pressure"], batch.SensorIndexes[row1].ToArray().Select(batch.SensorName));
        Assert.Equal([42.25, 3.5], batch.Values[row1].ToArray());
    }

    [Fact]
    public void WriterOutput_IsReadBackExactly()
    {
        var writer = new SampleBatchWriter();
        writer.Begin("vib", 7);
        for (int i = 0; i < 50; i++)
        {
            writer.BeginRow(1_795_331_183_000_000_000L + i * 1_000L);
            writer.Value("rms", i / 3.0);
            writer.Value("peak", -i * 1e-9);
        }
        var payload = writer.Finish().ToArray();
        var batch = new DecodedSampleBatch();
        Assert.True(SampleBatchReader.TryRead(payload, batch, out _, out _));
        Assert.Equal(50, batch.RowCount);
        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(1_795_331_183_000_000_000L + i * 1_000L, batch.RowTime(i));
            Assert.Equal([i / 3.0, -i * 1e-9], batch.Values[batch.RowValues(i)].ToArray());
        }
    }

    [Fact]
    public void PropertyOrder_DoesNotMatter_AndUnknownPropertiesAreIgnored()
    {
        var (ok, batch, _, _) = Read("""{"samples":[{"flow":1,"t":"2026-01-01T00:00:00Z"}],"extra":{"a":[1,2]},"seq":5,"stream":"s"}""");
        Assert.True(ok);
        Assert.Equal(5, batch.FirstSeq);
        Assert.Equal(1, batch.RowCount);
    }

    public static TheoryData<string, string> WholeMessageRejections => new()
    {
        { "{\"stream\":\"s\",\"seq\":1,\"samples\":[", RejectReasons.MalformedJson },
        { "{\"stream\":\"s\",\"seq\":1,\"samples\":[]}", RejectReasons.EmptyBatch },
        { "[1,2,3]", RejectReasons.Schema },
        { "{\"seq\":1,\"samples\":[{\"t\":\"2026-01-01T00:00:00Z\",\"a\":1}]}", RejectReasons.Schema },
        { "{\"stream\":\"s\",\"samples\":[{\"t\":\"2026-01-01T00:00:00Z\",\"a\":1}]}", RejectReasons.Schema },
        { "{\"stream\":\"s\",\"seq\":1}", RejectReasons.Schema },
        { "{\"stream\":\"s\",\"seq\":\"1\",\"samples\":[]}", RejectReasons.Schema },
        { "{\"stream\":\"s\",\"seq\":-1,\"samples\":[]}", RejectReasons.Schema },
        { "{\"stream\":\"s\",\"seq\":1.5,\"samples\":[]}", RejectReasons.Schema },
        { "{\"stream\":\"S P\",\"seq\":1,\"samples\":[{\"t\":\"2026-01-01T00:00:00Z\",\"a\":1}]}", RejectReasons.InvalidName },
        { "{\"v\":2,\"stream\":\"s\",\"seq\":1,\"samples\":[]}", RejectReasons.UnsupportedVersion },
        { "{\"stream\":\"s\",\"seq\":1,\"seq\":2,\"samples\":[]}", RejectReasons.Schema },
        { "{\"stream\":\"s\",\"seq\":1,\"samples\":[{\"t\":\"2026-01-01T00:00:00Z\",\"a\":NaN}]}", RejectReasons.MalformedJson },
        { "{\"stream\":\"s\",\"seq\":1,\"samples\":[]} trailing", RejectReasons.MalformedJson },
        { "", RejectReasons.MalformedJson },
        { "{\"stream\":\"s\",\"seq\":1,\"samples\":[]}//c", RejectReasons.MalformedJson },
    };

    [Theory]
    [MemberData(nameof(WholeMessageRejections))]
    public void MessageLevelProblems_RejectTheWholeMessage_WithAReason(string json, string reason)
    {
        var (ok, _, actual, detail) = Read(json);
        Assert.False(ok);
        Assert.Equal(reason, actual);
        Assert.False(string.IsNullOrWhiteSpace(detail));
    }

    [Fact]
    public void InvalidUtf8_IsRejected()
    {
        var bytes = Encoding.UTF8.GetBytes(Valid);
        bytes[30] = 0xFF;
        var batch = new DecodedSampleBatch();
        Assert.False(SampleBatchReader.TryRead(bytes, batch, out var reason, out _));
        Assert.Equal(RejectReasons.InvalidUtf8, reason);
    }

    [Fact]
    public void OversizedPayload_IsRejectedBeforeParsing()
    {
        var batch = new DecodedSampleBatch();
        Assert.False(SampleBatchReader.TryRead(new byte[SampleBatchReader.MaxPayloadBytes + 1], batch, out var reason, out _));
        Assert.Equal(RejectReasons.TooLarge, reason);
    }

    [Fact]
    public void TooManyRows_IsRejected()
    {
        var rows = string.Join(",", Enumerable.Repeat("{\"t\":\"2026-01-01T00:00:00Z\",\"a\":1}", SampleBatchReader.MaxRows + 1));
        var (ok, _, reason, _) = Read($"{{\"stream\":\"s\",\"seq\":1,\"samples\":[{rows}]}}");
        Assert.False(ok);
        Assert.Equal(RejectReasons.TooManyRows, reason);
    }

    [Fact]
    public void RowLevelProblems_RejectOnlyThoseRows_AndKeepTheValidOnes()
    {
        var (ok, batch, _, _) = Read("""
            {"stream":"s","seq":10,"samples":[
              {"t":"2026-01-01T00:00:00Z","a":1},
              {"t":"2026-01-01T00:00:01Z","a":"2"},
              {"t":"not a time","a":3},
              {"a":4},
              {"t":"2026-01-01T00:00:04Z","a":5,"a":6},
              {"t":"2026-01-01T00:00:05Z","Bad Name":7},
              {"t":"2026-01-01T00:00:06Z","a":null},
              {"t":"2026-01-01T00:00:07Z","a":[1]},
              42,
              {"t":"2026-01-01T00:00:09Z"},
              {"t":"2026-01-01T00:00:10Z","a":1e999},
              {"t":"2026-01-01T00:00:11Z","a":11}]}
            """);
        Assert.True(ok);
        Assert.Equal(12, batch.RowCount);
        var rejected = batch.RowRejections.ToDictionary(r => r.Row);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], rejected.Keys.Order());
        Assert.Equal(RejectReasons.Schema, rejected[1].Reason);
        Assert.Equal(RejectReasons.BadTimestamp, rejected[2].Reason);
        Assert.Equal(RejectReasons.BadTimestamp, rejected[3].Reason);
        Assert.Equal(RejectReasons.DuplicateSensor, rejected[4].Reason);
        Assert.Equal(RejectReasons.InvalidName, rejected[5].Reason);
        Assert.Equal(RejectReasons.Schema, rejected[10].Reason);
        Assert.Equal(11, rejected[1].Seq);
        Assert.False(batch.IsRowRejected(0));
        Assert.False(batch.IsRowRejected(11));
        Assert.Equal([11.0], batch.Values[batch.RowValues(11)].ToArray());
    }

    [Fact]
    public void EscapedSensorName_IsUnescapedBeforeItIsChecked()
    {
        var (ok, batch, _, _) = Read("""{"stream":"s","seq":1,"samples":[{"t":"2026-01-01T00:00:00Z","fl\u006fw":1}]}""");
        Assert.True(ok);
        Assert.Empty(batch.RowRejections);
        Assert.Equal("flow", batch.SensorName(batch.SensorIndexes[0]));
    }

    [Fact]
    public void ThousandsOfDistinctNamesInOneBatch_AreRejectedWithoutBlowingUp()
    {
        var rows = string.Join(",", Enumerable.Range(0, 5000).Select(i => $"{{\"t\":\"2026-01-01T00:00:00Z\",\"s{i}\":1}}"));
        var (ok, batch, _, _) = Read($"{{\"stream\":\"s\",\"seq\":1,\"samples\":[{rows}]}}");
        Assert.True(ok);
        Assert.Equal(5000 - 2048, batch.RowRejections.Count);
    }

    [Fact]
    public void ReusedBatch_ForgetsThePreviousMessage()
    {
        var batch = new DecodedSampleBatch();
        Assert.True(SampleBatchReader.TryRead(Encoding.UTF8.GetBytes(Valid), batch, out _, out _));
        Assert.True(SampleBatchReader.TryRead(Encoding.UTF8.GetBytes("""{"stream":"x","seq":1,"samples":[{"t":"2026-01-01T00:00:00Z","a":1}]}"""), batch, out _, out _));
        Assert.Equal(1, batch.RowCount);
        Assert.Equal(1, batch.Values.Length);
    }

    [Fact]
    public void ValidatingWithoutConverting_GivesTheSameValuesOnceParsed()
    {
        var payload = Encoding.UTF8.GetBytes("""{"stream":"p","seq":1,"samples":[{"t":"2026-01-01T00:00:00Z","a":-84.147098,"b":1.5e3,"c":0}]}""");
        var converted = new DecodedSampleBatch();
        Assert.True(SampleBatchReader.TryRead(payload, converted, out _, out _));
        var validated = new DecodedSampleBatch();
        Assert.True(SampleBatchReader.TryRead(payload, validated, parseValues: false, out _, out _));

        Assert.False(validated.ValuesParsed);
        Assert.Throws<InvalidOperationException>(() => validated.Values.Length);
        validated.ParseValues(payload);
        Assert.Equal(converted.Values.ToArray(), validated.Values.ToArray());
        Assert.Equal([-84.147098, 1500, 0], validated.Values.ToArray());
    }

    [Theory]
    [InlineData("1e999")]
    [InlineData("-1E400")]
    public void WithoutConverting_ANumberBeyondDouble_IsStillRejected(string number)
    {
        var payload = Encoding.UTF8.GetBytes($$"""{"stream":"p","seq":1,"samples":[{"t":"2026-01-01T00:00:00Z","a":{{number}}}]}""");
        var batch = new DecodedSampleBatch();
        Assert.True(SampleBatchReader.TryRead(payload, batch, parseValues: false, out _, out _));
        Assert.Single(batch.RowRejections);
        Assert.Contains("finite", batch.RowRejections[0].Detail);
    }
}
