using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Fieldlab.Api.Notifications;

/// <summary>What a message says: the webhook's JSON (docs/access.md, "Notifications") and the e-mail's subject and text.</summary>
public static class NotificationContent
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The webhook body (UTF-8 JSON).</summary>
    public static byte[] Webhook(NotificationMessage m, string? consoleUrl) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        v = 1,
        type = m.Type,
        delivery = m.Delivery,
        sent_at = m.CreatedAt.UtcDateTime,
        site = m.Rig?.Site,
        rig = m.Rig?.Rig,
        occurrence = m.Occurrence,
        alert = m.Alert,
        held_back = m.HeldBack,
        link = Link(m, consoleUrl),
    }, Json);

    /// <summary>The e-mail's subject line.</summary>
    public static string Subject(NotificationMessage m) => m.Alert is { } a
        ? $"[Fieldlab] {a.Kind} alert {a.State} on {m.Rig}: {a.Id}"
        : $"[Fieldlab] {m.HeldBack?.Total ?? 0} notification(s) held back";

    /// <summary>The e-mail's text.</summary>
    public static string EmailBody(NotificationMessage m, string? consoleUrl)
    {
        var text = new StringBuilder();
        if (m.Alert is { } a)
        {
            text.AppendLine(a.Summary).AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Rig:        {m.Rig}");
            text.AppendLine(CultureInfo.InvariantCulture, $"Alert:      {a.Id} ({a.Kind}), {a.State}");
            text.AppendLine(CultureInfo.InvariantCulture, $"Time:       {a.T}");
            text.AppendLine(CultureInfo.InvariantCulture, $"Score:      {a.Score:G4} (limit {a.Limit:G4})");
            if (m.Occurrence is { } occurrence) text.AppendLine(CultureInfo.InvariantCulture, $"Occurrence: {occurrence}");
        }
        if (Link(m, consoleUrl) is { } link) text.AppendLine(CultureInfo.InvariantCulture, $"Console:    {link}");
        if (m.HeldBack is { } held) text.AppendLine().AppendLine(held.Sentence());
        text.AppendLine().AppendLine("You receive this because notifications are on for your Fieldlab account (GET/PUT /api/me/notifications).");
        return text.ToString();
    }

    private static string? Link(NotificationMessage m, string? consoleUrl) =>
        consoleUrl is null || m.Rig is not { } rig ? null : $"{consoleUrl.TrimEnd('/')}/api/sites/{rig.Site}/rigs/{rig.Rig}/alerts";
}
