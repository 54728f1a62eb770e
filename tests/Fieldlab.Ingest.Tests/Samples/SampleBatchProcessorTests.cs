using System.Text;
using Fieldlab.Ingest.Samples;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Rigs;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Ingest.Tests.Samples;

public sealed class SampleBatchProcessorTests
{
    private static readonly RigAddress Rig = new("lab", "pump-1");
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    private readonly RigDirectory _directory = new();
    private readonly SampleBatchProcessor _processor;
    private readonly LineProtocolWriter _points = new();

    public SampleBatchProcessorTests()
    {
        _directory.SetBirth(Rig, new RigBirth
        {
            Kind = "pump",
            Streams = [new StreamSpec { Id = "process", RateHz = 10, Sensors = [new SensorSpec { Id = "flow", Unit = "m3/h" }, new SensorSpec { Id = "head", Unit = "m" }] }],
        });
        _processor = new SampleBatchProcessor(new IngestOptions(), _directory, new FixedTime(Now));
    }

    private BatchOutcome Process(string json, RigAddress? rig = null) =>
        _processor.Process(new FieldlabTopic(rig ?? Rig, TopicChannel.Samples),
            new MqttMessage(FieldlabTopic.For(rig ?? Rig, TopicChannel.Samples), Encoding.UTF8.GetBytes(json), MqttQos.AtLeastOnce, false), _points);

    private string Lines => Encoding.UTF8.GetString(_points.WrittenMemory.Span);

    [Fact]
    public void ValidBatch_BecomesOnePointPerRow_WithSeqAndTags()
    {
        var outcome = Process("""{"stream":"process","seq":7,"samples":[{"t":"2026-11-22T07:59:59Z","flow":1.5,"head":30},{"t":"2026-11-22T07:59:59.1Z","flow":1.25}]}""");
        Assert.Equal(BatchVerdict.Stored, outcome.Verdict);
        Assert.Equal(2, outcome.RowsWritten);
        Assert.Null(outcome.DeadLetter);
        Assert.Equal(
            "samples,rig=pump-1,site=lab,stream=process flow=1.5,head=30,seq=7i 1795334399000000000\n" +
            "samples,rig=pump-1,site=lab,stream=process flow=1.25,seq=8i 1795334399100000000\n", Lines);
    }

    [Fact]
    public void UnknownSensor_RejectsOnlyItsRow_AndNamesIt()
    {
        var outcome = Process("""{"stream":"process","seq":0,"samples":[{"t":"2026-11-22T07:59:59Z","flow":1},{"t":"2026-11-22T07:59:59Z","flw":2}]}""");
        Assert.Equal(BatchVerdict.PartlyStored, outcome.Verdict);
        Assert.Equal(1, outcome.RowsWritten);
        Assert.Equal(RejectReasons.UnknownSensor, outcome.DeadLetter!.Reason);
        Assert.Contains("'flw'", outcome.DeadLetter.Detail);
        Assert.Equal([1L], outcome.DeadLetter.Seqs);
    }

    [Fact]
    public void RowTooFarInTheFuture_IsRejectedForSkew()
    {
        var outcome = Process("""{"stream":"process","seq":0,"samples":[{"t":"2026-11-22T08:06:00Z","flow":1}]}""");
        Assert.Equal(BatchVerdict.Rejected, outcome.Verdict);
        Assert.Equal(RejectReasons.TimestampSkew, outcome.DeadLetter!.Reason);
        Assert.Equal(0, _points.PointCount);
    }

    [Fact]
    public void RowWithinTheAllowedSkew_IsStored()
    {
        Assert.Equal(BatchVerdict.Stored, Process("""{"stream":"process","seq":0,"samples":[{"t":"2026-11-22T08:04:59Z","flow":1}]}""").Verdict);
    }

    [Fact]
    public void UnknownStream_RejectsTheMessage_ListingTheKnownStreams()
    {
        var outcome = Process("""{"stream":"vibration","seq":0,"samples":[{"t":"2026-11-22T07:59:59Z","flow":1}]}""");
        Assert.Equal(BatchVerdict.Rejected, outcome.Verdict);
        Assert.Equal(RejectReasons.UnknownStream, outcome.DeadLetter!.Reason);
        Assert.Contains("process", outcome.DeadLetter.Detail);
        Assert.Null(outcome.DeadLetter.Seqs);
    }

    [Fact]
    public void RigWithoutBirth_Waits()
    {
        var outcome = Process("""{"stream":"process","seq":0,"samples":[{"t":"2026-11-22T07:59:59Z","flow":1}]}""", new RigAddress("lab", "ghost"));
        Assert.Equal(BatchVerdict.AwaitingBirth, outcome.Verdict);
        Assert.Equal(0, _points.PointCount);
    }

    [Fact]
    public void MalformedMessage_IsRejectedWithAnExcerpt()
    {
        var outcome = Process("{\"stream\":\"process\",\"seq\":0,\"samples\":[{\"t\":");
        Assert.Equal(RejectReasons.MalformedJson, outcome.DeadLetter!.Reason);
        Assert.StartsWith("{\"stream\"", outcome.DeadLetter.Excerpt);
    }

    [Fact]
    public void NewBirth_WithAnExtraSensor_IsUsedForTheNextBatch()
    {
        Assert.Equal(BatchVerdict.Rejected, Process("""{"stream":"process","seq":0,"samples":[{"t":"2026-11-22T07:59:59Z","power":1}]}""").Verdict);
        _directory.SetBirth(Rig, new RigBirth
        {
            Kind = "pump",
            Streams = [new StreamSpec { Id = "process", RateHz = 10, Sensors = [new SensorSpec { Id = "flow", Unit = "m3/h" }, new SensorSpec { Id = "power", Unit = "kW" }] }],
        });
        Assert.Equal(BatchVerdict.Stored, Process("""{"stream":"process","seq":1,"samples":[{"t":"2026-11-22T07:59:59Z","power":1}]}""").Verdict);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
