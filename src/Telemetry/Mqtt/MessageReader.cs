using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

namespace Fieldlab.Telemetry.Mqtt;

/// <summary>The connection's message channel as its consumer sees it: reading a message releases its bytes from the
/// receive budget that throttles the network thread.</summary>
internal sealed class MessageReader(ChannelReader<MqttMessage> inner, Action<int> released) : ChannelReader<MqttMessage>
{
    public override Task Completion => inner.Completion;

    public override bool CanCount => inner.CanCount;

    public override int Count => inner.Count;

    public override bool TryRead([MaybeNullWhen(false)] out MqttMessage item)
    {
        if (!inner.TryRead(out item)) return false;
        released(item.Payload.Length);
        return true;
    }

    public override bool TryPeek([MaybeNullWhen(false)] out MqttMessage item) => inner.TryPeek(out item);

    public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) => inner.WaitToReadAsync(cancellationToken);
}
