using System.Text;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Telemetry.Tests.Wire;

public sealed class WaveformFrameTests
{
    private static WaveformFrame Frame(int count = 2048, int axes = 3)
    {
        var samples = new float[count * axes];
        for (int i = 0; i < samples.Length; i++) samples[i] = MathF.Sin(i * 0.01f) * (i % 7);
        string[] names = ["accel_x", "accel_y", "accel_z"];
        return new WaveformFrame("vibration", 4096, 1_795_331_183_000_000_000, 25_600, names[..axes], "m/s2", samples);
    }

    [Fact]
    public void EncodedFrame_DecodesToTheSameSamples()
    {
        var frame = Frame();
        var bytes = frame.Encode();
        Assert.True(WaveformFrame.TryDecode(bytes, out var back, out var reason, out var detail), $"{reason}: {detail}");
        Assert.Equal(frame.Samples, back!.Samples);
        Assert.Equal((frame.Stream, frame.Seq, frame.StartNanoseconds, frame.SampleRateHz, frame.Count), (back.Stream, back.Seq, back.StartNanoseconds, back.SampleRateHz, back.Count));
        Assert.Equal(frame.Axes, back.Axes);
    }

    [Fact]
    public void Header_IsOneReadableJsonLine()
    {
        var bytes = Frame().Encode();
        var header = Encoding.UTF8.GetString(bytes, 0, Array.IndexOf(bytes, (byte)'\n'));
        Assert.StartsWith("{\"v\":1,\"stream\":\"vibration\",\"seq\":4096,\"t0\":\"2026-11-22T07:06:23.000000Z\",\"rate_hz\":25600", header);
    }

    [Fact]
    public void Frame_CostsAboutFourBytesPerSample()
    {
        var bytes = Frame().Encode();
        double perSample = bytes.Length / (2048.0 * 3);
        Assert.InRange(perSample, 4.0, 4.05);
    }

    [Theory]
    [InlineData("no newline", "schema")]
    [InlineData("{\"v\":1}\n", "invalid-name")]
    [InlineData("[1]\n", "schema")]
    [InlineData("{\"v\":1,\n", "malformed-json")]
    public void BrokenHeader_IsRejectedWithAReason(string payload, string reason)
    {
        Assert.False(WaveformFrame.TryDecode(Encoding.UTF8.GetBytes(payload), out _, out var actual, out _));
        Assert.Equal(reason, actual);
    }

    [Fact]
    public void TruncatedData_IsRejected()
    {
        var bytes = Frame().Encode();
        Assert.False(WaveformFrame.TryDecode(bytes.AsSpan(0, bytes.Length - 4), out _, out var reason, out var detail));
        Assert.Equal(RejectReasons.Schema, reason);
        Assert.Contains("data bytes", detail);
    }

    [Fact]
    public void NanSample_IsRejected()
    {
        var frame = Frame(64, 1);
        frame.Samples[10] = float.NaN;
        Assert.False(WaveformFrame.TryDecode(frame.Encode(), out _, out _, out var detail));
        Assert.Contains("NaN", detail);
    }
}
