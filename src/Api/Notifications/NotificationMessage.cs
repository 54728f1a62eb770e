using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Notifications;

/// <summary>One message to one person on one channel: an alert (with what the rate limit held back before it), or a
/// summary of held-back alerts alone when no alert came to carry it.</summary>
/// <param name="Delivery">Id of the message, the same on every try (receivers can drop repeats).</param>
/// <param name="Rig">The alert's rig (null for a summary).</param>
/// <param name="Alert">The alert (null for a summary).</param>
/// <param name="HeldBack">What was held back or could not be delivered since the last message that went out, or null.</param>
/// <param name="CreatedAt">When the message was made.</param>
public sealed record NotificationMessage(string Delivery, RigAddress? Rig, RigAlert? Alert, HeldBack? HeldBack, DateTimeOffset CreatedAt)
{
    /// <summary><c>alert</c> or <c>summary</c>.</summary>
    public string Type => Alert is null ? "summary" : "alert";

    /// <summary>The alert's occurrence key (<c>{id}@{raised ns}</c>) when it is a raise with a readable time, else null.</summary>
    public string? Occurrence => Alert is { State: "raised" } a && UtcTimestamp.TryParse(System.Text.Encoding.UTF8.GetBytes(a.T), out long ns)
        ? new Alerts.AlertOccurrence(a.Id, ns).ToString() : null;
}

/// <summary>Messages the rate limit held back (<paramref name="Suppressed"/>) or that failed every try
/// (<paramref name="Undelivered"/>) since <paramref name="Since"/>, by alert.</summary>
public sealed record HeldBack(int Suppressed, int Undelivered, DateTimeOffset Since, IReadOnlyList<HeldAlert> Alerts)
{
    /// <summary>Both counts together.</summary>
    public int Total => Suppressed + Undelivered;

    /// <summary>One sentence for people.</summary>
    public string Sentence() =>
        $"Since {Since:yyyy-MM-dd HH:mm:ss}Z, {Suppressed} notification(s) were held back by the rate limit and {Undelivered} could not be delivered: "
        + string.Join(", ", Alerts.Select(a => $"{a.Id} on {a.Site}/{a.Rig} x{a.Count}")) + ".";
}

/// <summary>How many messages about one alert were held back.</summary>
public sealed record HeldAlert(string Site, string Rig, string Id, int Count);
