using System.Text;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Telemetry.Tests.Wire;

/// <summary>The head and stored messages of the watermark: the documented JSON decodes, what is encoded decodes back,
/// and a malformed one is refused with its field; their topics parse to their channels.</summary>
public sealed class StoredThroughWireTests
{
    [Fact]
    public void TryDecodeHead_TheDocumentedExample_Decodes()
    {
        var json = """{"v":1,"t":"2026-11-22T09:04:21.500000000Z","streams":[{"stream":"process","next_seq":1201,"through":"2026-11-22T09:04:21.400000000Z","handled_below":1150}]}""";
        Assert.True(WireJson.TryDecodeHead(Encoding.UTF8.GetBytes(json), out var head, out var error), error);
        Assert.Equal(new StreamHead("process", 1201, "2026-11-22T09:04:21.400000000Z", 1150), head!.Streams.Single());
    }

    [Fact]
    public void Encode_Stored_DecodesBack()
    {
        var stored = new StoredThrough { T = "2026-11-22T09:04:22Z", Streams = [new StreamThrough("process", "2026-11-22T09:04:21.4Z")] };
        Assert.True(WireJson.TryDecodeStored(WireJson.Encode(stored), out var back, out var error), error);
        Assert.Equal(stored.Streams, back!.Streams);
    }

    [Theory]
    [InlineData("""{"v":1,"t":"2026-11-22T09:04:21Z","streams":[{"stream":"process","next_seq":10,"through":"2026-11-22T09:04:21Z","handled_below":11}]}""", "handled_below")]
    [InlineData("""{"v":1,"t":"2026-11-22T09:04:21Z","streams":[{"stream":"process","next_seq":-1,"through":"2026-11-22T09:04:21Z"}]}""", "next_seq")]
    [InlineData("""{"v":1,"t":"2026-11-22T09:04:21Z","streams":[{"stream":"Process","next_seq":1,"through":"2026-11-22T09:04:21Z"}]}""", "stream")]
    [InlineData("""{"v":1,"t":"2026-11-22T09:04:21Z","streams":[{"stream":"process","next_seq":1,"through":"soon"}]}""", "through")]
    [InlineData("""{"v":2,"t":"2026-11-22T09:04:21Z","streams":[]}""", "v:")]
    public void TryDecodeHead_Malformed_IsRefusedWithTheField(string json, string field)
    {
        Assert.False(WireJson.TryDecodeHead(Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.Contains(field, error);
    }

    [Theory]
    [InlineData("fieldlab/lab/rig-1/head", TopicChannel.Head)]
    [InlineData("fieldlab/lab/rig-1/stored", TopicChannel.Stored)]
    public void TryParse_TheWatermarkTopics_NameTheirChannels(string topic, TopicChannel channel)
    {
        Assert.True(FieldlabTopic.TryParse(topic, out var parsed, out _));
        Assert.Equal(channel, parsed.Channel);
        Assert.Equal(topic, FieldlabTopic.For(parsed.Rig, channel));
    }
}
