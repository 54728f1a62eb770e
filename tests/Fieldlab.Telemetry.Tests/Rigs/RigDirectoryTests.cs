using System.Text;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Rigs;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Telemetry.Tests.Rigs;

public sealed class RigDirectoryTests
{
    private static MqttMessage Message(string topic, string payload) => new(topic, Encoding.UTF8.GetBytes(payload), MqttQos.AtLeastOnce, true);

    private const string Birth = """{"v":1,"kind":"pump","streams":[{"id":"process","rate_hz":10,"sensors":[{"id":"flow","unit":"m3/h"}]}]}""";

    [Fact]
    public void BirthAndState_MakeAnOnlineRigWithSensors()
    {
        var directory = new RigDirectory();
        Assert.True(directory.TryApply(Message("fieldlab/lab/pump-1/birth", Birth), out var applied, out _));
        Assert.True(applied);
        Assert.True(directory.TryApply(Message("fieldlab/lab/pump-1/state", """{"state":"online"}"""), out _, out _));
        var rig = Assert.Single(directory.All);
        Assert.True(rig.IsOnline);
        Assert.Equal("flow", rig.Birth!.Streams[0].Sensors[0].Id);
    }

    [Fact]
    public void LastWill_TurnsTheRigOffline_ButKeepsItsSensors()
    {
        var directory = new RigDirectory();
        directory.TryApply(Message("fieldlab/lab/pump-1/birth", Birth), out _, out _);
        directory.TryApply(Message("fieldlab/lab/pump-1/state", """{"state":"online"}"""), out _, out _);
        directory.TryApply(Message("fieldlab/lab/pump-1/state", """{"state":"offline","reason":"connection lost"}"""), out _, out _);
        var rig = Assert.Single(directory.All);
        Assert.False(rig.IsOnline);
        Assert.NotNull(rig.Birth);
    }

    [Fact]
    public void EmptyRetainedMessages_ForgetTheRig()
    {
        var directory = new RigDirectory();
        directory.TryApply(Message("fieldlab/lab/pump-1/birth", Birth), out _, out _);
        directory.TryApply(Message("fieldlab/lab/pump-1/birth", ""), out _, out _);
        Assert.Empty(directory.All);
    }

    [Fact]
    public void InvalidBirth_IsReportedAndChangesNothing()
    {
        var directory = new RigDirectory();
        Assert.False(directory.TryApply(Message("fieldlab/lab/pump-1/birth", "{\"kind\":\"pump\"}"), out _, out var error));
        Assert.Contains("streams", error);
        Assert.Empty(directory.All);
    }
}
