namespace Fieldlab.Api.Notifications;

/// <summary>At most <c>limit</c> messages per person and channel within a sliding <c>window</c>: what is over the limit
/// is not sent but counted, and the count (with what could not be delivered) rides on the next message that goes out —
/// or on a summary of its own once the window has room again — so that a flapping sensor cannot flood an inbox and
/// nothing is dropped without a word. Thread-safe; time comes from the <see cref="TimeProvider"/>.</summary>
public sealed class NotificationRateLimit(int limit, TimeSpan window, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, State> _states = [];

    /// <summary>Asks to send a message about <paramref name="alert"/> on <paramref name="key"/> (person and channel).
    /// True: send it, with <paramref name="heldBack"/> (what was held back before it, now handed over). False: it was
    /// counted instead.</summary>
    public bool TryAdmit(string key, HeldAlert alert, out HeldBack? heldBack)
    {
        lock (_gate)
        {
            var state = StateOf(key);
            var now = time.GetUtcNow();
            if (!HasRoom(state, now))
            {
                Count(state, alert, now, undelivered: false);
                heldBack = null;
                return false;
            }
            state.Sent.Enqueue(now);
            heldBack = TakeHeld(state);
            return true;
        }
    }

    /// <summary>Counts a message that failed every try, and puts back what it carried, for the next message.</summary>
    public void Undelivered(string key, HeldAlert? alert, HeldBack? carried)
    {
        lock (_gate)
        {
            var state = StateOf(key);
            var now = time.GetUtcNow();
            if (alert is not null) Count(state, alert, now, undelivered: true);
            if (carried is null) return;
            state.Suppressed += carried.Suppressed;
            state.Undelivered += carried.Undelivered;
            if (state.Since is null || carried.Since < state.Since) state.Since = carried.Since;
            foreach (var a in carried.Alerts) state.Held[(a.Site, a.Rig, a.Id)] = state.Held.GetValueOrDefault((a.Site, a.Rig, a.Id)) + a.Count;
        }
    }

    /// <summary>The keys that hold something back and have room again, each with what it held (a slot is taken for
    /// the summary that carries it).</summary>
    public IReadOnlyList<(string Key, HeldBack HeldBack)> DueSummaries()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var due = new List<(string, HeldBack)>();
            foreach (var (key, state) in _states)
            {
                if (state.Suppressed + state.Undelivered == 0 || !HasRoom(state, now)) continue;
                state.Sent.Enqueue(now);
                due.Add((key, TakeHeld(state)!));
            }
            return due;
        }
    }

    /// <summary>What <paramref name="key"/> holds back now (for health and tests), or null.</summary>
    public HeldBack? Peek(string key)
    {
        lock (_gate) return _states.TryGetValue(key, out var s) && s.Suppressed + s.Undelivered > 0 ? Snapshot(s) : null;
    }

    /// <summary>Takes what every key holds back (when the API stops: it is logged, there is no next message).</summary>
    public IReadOnlyList<(string Key, HeldBack HeldBack)> TakeAll()
    {
        lock (_gate) return [.. _states.Where(s => s.Value.Suppressed + s.Value.Undelivered > 0).Select(s => (s.Key, TakeHeld(s.Value)!))];
    }

    private State StateOf(string key) => _states.TryGetValue(key, out var s) ? s : _states[key] = new State();

    private bool HasRoom(State state, DateTimeOffset now)
    {
        while (state.Sent.Count > 0 && state.Sent.Peek() <= now - window) state.Sent.Dequeue();
        return state.Sent.Count < limit;
    }

    private static void Count(State state, HeldAlert alert, DateTimeOffset now, bool undelivered)
    {
        if (undelivered) state.Undelivered++;
        else state.Suppressed++;
        state.Since ??= now;
        var key = (alert.Site, alert.Rig, alert.Id);
        state.Held[key] = state.Held.GetValueOrDefault(key) + alert.Count;
    }

    private static HeldBack? TakeHeld(State state)
    {
        if (state.Suppressed + state.Undelivered == 0) return null;
        var held = Snapshot(state);
        state.Suppressed = 0;
        state.Undelivered = 0;
        state.Since = null;
        state.Held.Clear();
        return held;
    }

    private static HeldBack Snapshot(State s) => new(s.Suppressed, s.Undelivered, s.Since!.Value,
        [.. s.Held.OrderByDescending(h => h.Value).ThenBy(h => h.Key).Select(h => new HeldAlert(h.Key.Site, h.Key.Rig, h.Key.Id, h.Value))]);

    private sealed class State
    {
        public Queue<DateTimeOffset> Sent { get; } = new();

        public int Suppressed { get; set; }

        public int Undelivered { get; set; }

        public DateTimeOffset? Since { get; set; }

        public Dictionary<(string Site, string Rig, string Id), int> Held { get; } = [];
    }
}
