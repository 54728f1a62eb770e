using Fieldlab.Ingest.Consumption;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Ingest.Samples;

/// <summary>Sample messages from rigs whose birth has not arrived yet, held for a grace period: after an ingest restart
/// the broker delivers queued samples before the retained births, and a new rig's first batch can overtake its birth.</summary>
internal sealed class ParkedMessages(int capacity)
{
    private readonly LinkedList<(RigAddress Rig, FieldlabTopic Topic, ReceivedMessage Message, DateTimeOffset Since)> _queue = new();

    public int Count => _queue.Count;

    /// <summary>Parks a message; returns the oldest one if the capacity was exceeded (to be quarantined now).</summary>
    public ReceivedMessage? Park(FieldlabTopic topic, ReceivedMessage message, DateTimeOffset now)
    {
        _queue.AddLast((topic.Rig, topic, message, now));
        if (_queue.Count <= capacity) return null;
        var oldest = _queue.First!.Value.Message;
        _queue.RemoveFirst();
        return oldest;
    }

    /// <summary>Takes every parked message of a rig, oldest first.</summary>
    public List<(FieldlabTopic Topic, ReceivedMessage Message)> TakeRig(RigAddress rig)
    {
        var taken = new List<(FieldlabTopic, ReceivedMessage)>();
        for (var node = _queue.First; node is not null;)
        {
            var next = node.Next;
            if (node.Value.Rig == rig)
            {
                taken.Add((node.Value.Topic, node.Value.Message));
                _queue.Remove(node);
            }
            node = next;
        }
        return taken;
    }

    /// <summary>Takes the messages parked before <paramref name="cutoff"/>.</summary>
    public List<ReceivedMessage> TakeExpired(DateTimeOffset cutoff)
    {
        var expired = new List<ReceivedMessage>();
        while (_queue.First is { } first && first.Value.Since <= cutoff)
        {
            expired.Add(first.Value.Message);
            _queue.RemoveFirst();
        }
        return expired;
    }
}
