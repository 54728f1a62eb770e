using System.Collections.Concurrent;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Telemetry.Rigs;

/// <summary>What the platform currently knows about every rig, built from the retained birth and state messages.</summary>
/// <remarks>Thread-safe. A birth replaces the previous one (a rig may gain sensors); an empty retained message
/// (how MQTT deletes a retained topic) forgets the birth or state.</remarks>
public sealed class RigDirectory
{
    private readonly ConcurrentDictionary<RigAddress, RigEntry> _rigs = new();
    private readonly TimeProvider _time;

    /// <summary>Creates an empty directory.</summary>
    public RigDirectory(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Every rig with a known birth or state.</summary>
    public IReadOnlyList<RigEntry> All => [.. _rigs.Values.OrderBy(r => r.Address.Site, StringComparer.Ordinal).ThenBy(r => r.Address.Rig, StringComparer.Ordinal)];

    /// <summary>Bumped on every change, so that caches built from births can tell they are stale.</summary>
    public long Version => Interlocked.Read(ref _version);

    private long _version;

    /// <summary>Looks a rig up.</summary>
    public bool TryGet(RigAddress address, out RigEntry entry) => _rigs.TryGetValue(address, out entry!);

    /// <summary>Rigs with this id at any site.</summary>
    public IReadOnlyList<RigEntry> FindByRigId(string rig) => [.. _rigs.Values.Where(r => r.Address.Rig == rig)];

    /// <summary>Records a birth.</summary>
    public void SetBirth(RigAddress address, RigBirth birth)
    {
        var now = _time.GetUtcNow();
        _rigs.AddOrUpdate(address, a => new RigEntry(a, birth, null, now), (_, e) => e with { Birth = birth, Updated = now });
        Interlocked.Increment(ref _version);
    }

    /// <summary>Records a state.</summary>
    public void SetState(RigAddress address, RigState state)
    {
        var now = _time.GetUtcNow();
        _rigs.AddOrUpdate(address, a => new RigEntry(a, null, state, now), (_, e) => e with { State = state, Updated = now });
        Interlocked.Increment(ref _version);
    }

    /// <summary>Applies a message from a <c>birth</c> or <c>state</c> topic. Returns false with a reason if the
    /// message was not a valid one; other topics are ignored (returns true, <paramref name="applied"/> false).</summary>
    public bool TryApply(MqttMessage message, out bool applied, out string? error)
    {
        applied = false;
        error = null;
        if (!FieldlabTopic.TryParse(message.Topic, out var topic, out _)) return true;
        if (topic.Channel == TopicChannel.Birth)
        {
            if (message.Payload.Length == 0) { Forget(topic.Rig, birth: true); applied = true; return true; }
            if (!WireJson.TryDecodeBirth(message.Payload, out var birth, out error)) return false;
            SetBirth(topic.Rig, birth!);
            applied = true;
            return true;
        }
        if (topic.Channel == TopicChannel.State)
        {
            if (message.Payload.Length == 0) { Forget(topic.Rig, birth: false); applied = true; return true; }
            if (!WireJson.TryDecodeState(message.Payload, out var state, out error)) return false;
            SetState(topic.Rig, state!);
            applied = true;
            return true;
        }
        return true;
    }

    private void Forget(RigAddress address, bool birth)
    {
        while (_rigs.TryGetValue(address, out var entry))
        {
            var updated = birth ? entry with { Birth = null } : entry with { State = null };
            if (updated.Birth is null && updated.State is null)
            {
                if (_rigs.TryRemove(new KeyValuePair<RigAddress, RigEntry>(address, entry))) break;
            }
            else if (_rigs.TryUpdate(address, updated, entry))
            {
                break;
            }
        }
        Interlocked.Increment(ref _version);
    }
}

/// <summary>One rig as the directory knows it.</summary>
/// <param name="Address">Site and rig id.</param>
/// <param name="Birth">Last birth message, or null if only a state is known.</param>
/// <param name="State">Last state message, or null.</param>
/// <param name="Updated">When the directory last changed this entry.</param>
public sealed record RigEntry(RigAddress Address, RigBirth? Birth, RigState? State, DateTimeOffset Updated)
{
    /// <summary>True when the last state says online.</summary>
    public bool IsOnline => State?.IsOnline == true;
}
