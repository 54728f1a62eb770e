using Fieldlab.Api.Datasets;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Tests.Datasets;

/// <summary>The API's view of ingest's watermarks: a rig is stored through the least of its scalar streams' times,
/// unknown while any of them is, and never moves back when an older value arrives (another replica, a redelivery).</summary>
public sealed class StoredThroughBookTests
{
    private static readonly RigAddress Rig = new("lab", "rig-1");
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    private static readonly RigBirth Birth = new()
    {
        Kind = "motor",
        Streams =
        [
            new StreamSpec { Id = "process", RateHz = 10, Sensors = [new SensorSpec { Id = "speed", Unit = "rpm" }] },
            new StreamSpec { Id = "electrical", RateHz = 10, Sensors = [new SensorSpec { Id = "current", Unit = "A" }] },
            new StreamSpec { Id = "vibration", RateHz = 12800, Kind = "waveform", Sensors = [new SensorSpec { Id = "accel_x", Unit = "m/s2" }] },
        ],
    };

    private static MqttMessage Stored(params (string Stream, DateTimeOffset Through)[] streams) => new(FieldlabTopic.For(Rig, TopicChannel.Stored),
        WireJson.Encode(new StoredThrough { T = Format(T0), Streams = [.. streams.Select(s => new StreamThrough(s.Stream, Format(s.Through)))] }), MqttQos.AtLeastOnce, true);

    private static string Format(DateTimeOffset t) => UtcTimestamp.Format(UtcTimestamp.ToNanoseconds(t));

    [Fact]
    public void Refusal_ForARigWithoutAWatermark_SaysItIsNotKnownYet()
    {
        var refusal = new StoredThroughBook().Refusal([(Rig, Birth)], T0);
        Assert.Contains("lab/rig-1", refusal);
        Assert.Contains("not known yet", refusal);
    }

    [Fact]
    public void Through_IsTheLeastOfTheScalarStreams_WaveformsAside_AndUnknownWhileOneIsMissing()
    {
        var book = new StoredThroughBook();
        Assert.True(book.TryApply(Stored(("process", T0.AddMinutes(5))), out _));
        Assert.Null(book.Through(Rig, Birth));
        Assert.True(book.TryApply(Stored(("process", T0.AddMinutes(5)), ("electrical", T0.AddMinutes(3))), out _));
        Assert.Equal(T0.AddMinutes(3), book.Through(Rig, Birth));
    }

    [Fact]
    public void TryApply_AnOlderValue_KeepsTheNewerOne()
    {
        var book = new StoredThroughBook();
        book.TryApply(Stored(("process", T0.AddMinutes(5)), ("electrical", T0.AddMinutes(5))), out _);
        book.TryApply(Stored(("process", T0.AddMinutes(1)), ("electrical", T0.AddMinutes(1))), out _);
        Assert.Equal(T0.AddMinutes(5), book.Through(Rig, Birth));
    }

    [Fact]
    public void Refusal_OfARangeEndingAtOrBeforeTheWatermark_IsNone_AndAfterIt_NamesTheTime()
    {
        var book = new StoredThroughBook();
        book.TryApply(Stored(("process", T0), ("electrical", T0)), out _);
        Assert.Null(book.Refusal([(Rig, Birth)], T0));
        Assert.Null(book.Refusal([(Rig, Birth)], T0.AddTicks(1)));  // [from, to) holds rows before T0 + 100 ns only
        var refusal = book.Refusal([(Rig, Birth)], T0.AddSeconds(1));
        Assert.Contains("lab/rig-1 is stored only through 2026-11-30T08:00:00", refusal);
    }

    [Fact]
    public void TryApply_AnInvalidMessage_IsRefusedWithAReason()
    {
        var book = new StoredThroughBook();
        Assert.False(book.TryApply(new MqttMessage(FieldlabTopic.For(Rig, TopicChannel.Stored), "{\"v\":1,\"t\":\"yesterday\",\"streams\":[]}"u8.ToArray(), MqttQos.AtLeastOnce, true), out var error));
        Assert.Contains("t:", error);
    }
}
