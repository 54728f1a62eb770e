using Fieldlab.Access.Store;

namespace Fieldlab.Api.Alerts;

/// <summary>What people did about one alert occurrence, as the API shows it (an occurrence nobody acted on is open).</summary>
/// <param name="Status"><c>open</c>, <c>acknowledged</c> or <c>closed</c>.</param>
/// <param name="Assignee">Account name of who is to deal with it, or null.</param>
/// <param name="AcknowledgedBy">Who acknowledged it.</param>
/// <param name="AcknowledgedAt">When (UTC).</param>
/// <param name="ClosedBy">Who closed it.</param>
/// <param name="ClosedAt">When (UTC).</param>
/// <param name="Resolution">What was done.</param>
/// <param name="Comments">How many comments it has.</param>
/// <param name="Maintenance">The maintenance action it was closed with (when the caller may see that action), or null.</param>
public sealed record AlertLifecycleView(string Status, string? Assignee, string? AcknowledgedBy, DateTime? AcknowledgedAt, string? ClosedBy, DateTime? ClosedAt,
    string? Resolution, int Comments, MaintenanceLinkView? Maintenance)
{
    /// <summary>An occurrence nobody has acted on.</summary>
    public static readonly AlertLifecycleView Open = new(AlertStatus.Open, null, null, null, null, null, null, 0, null);

    /// <summary>The view of a case.</summary>
    public static AlertLifecycleView Of(AlertCase c, string? assignee, int comments, MaintenanceLinkView? maintenance) =>
        new(c.Status, assignee, c.AcknowledgedBy, c.AcknowledgedAt, c.ClosedBy, c.ClosedAt, c.Resolution, comments, maintenance);
}

/// <summary>A maintenance action as an alert links it.</summary>
public sealed record MaintenanceLinkView(long Id, string What, string Component, DateTime PerformedAt);

/// <summary>One comment on an alert occurrence.</summary>
public sealed record AlertCommentView(long Id, string Author, string Text, DateTime CreatedAt)
{
    /// <summary>The view of a stored comment.</summary>
    public static AlertCommentView Of(AlertComment c) => new(c.Id, c.Author, c.Text, c.CreatedAt);
}
