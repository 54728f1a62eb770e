using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Telemetry.Tests.Wire;

public sealed class FieldlabTopicTests
{
    [Fact]
    public void Topics_AreBuiltFromSiteRigAndChannel()
    {
        var rig = new RigAddress("techport", "pump-1");
        Assert.Equal("fieldlab/techport/pump-1/samples", FieldlabTopic.For(rig, TopicChannel.Samples));
        Assert.Equal("fieldlab/techport/pump-1/birth", FieldlabTopic.For(rig, TopicChannel.Birth));
        Assert.Equal("fieldlab/+/+/state", FieldlabTopic.AllRigs(TopicChannel.State));
    }

    [Fact]
    public void ValidTopic_ParsesBack()
    {
        Assert.True(FieldlabTopic.TryParse("fieldlab/techport/pump-1/samples", out var topic, out _));
        Assert.Equal(new RigAddress("techport", "pump-1"), topic.Rig);
        Assert.Equal(TopicChannel.Samples, topic.Channel);
    }

    [Theory]
    [InlineData("fieldlab/techport/pump-1")]
    [InlineData("fieldlab/techport/pump-1/samples/extra")]
    [InlineData("other/techport/pump-1/samples")]
    [InlineData("fieldlab/Techport/pump-1/samples")]
    [InlineData("fieldlab/techport/pump 1/samples")]
    [InlineData("fieldlab/techport/+/samples")]
    [InlineData("fieldlab/techport/pump-1/#")]
    [InlineData("fieldlab/_system/pump-1/samples")]
    [InlineData("fieldlab/techport/pump-1/unknown")]
    [InlineData("fieldlab//pump-1/samples")]
    public void InvalidTopics_AreRejectedWithAReason(string text)
    {
        Assert.False(FieldlabTopic.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Theory]
    [InlineData("flow", true)]
    [InlineData("flow_m3h", true)]
    [InlineData("t", false)]
    [InlineData("seq", false)]
    [InlineData("Flow", false)]
    [InlineData("1flow", false)]
    [InlineData("flow-rate", false)]
    [InlineData("flow,x=1", false)]
    [InlineData("", false)]
    public void SensorNames_FollowTheNamingRules(string name, bool valid)
    {
        Assert.Equal(valid, WireNames.IsValidSensor(name));
    }
}
