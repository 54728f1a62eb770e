using System.Net.Mail;
using System.Text.Json;
using Fieldlab.Access.Audit;
using Fieldlab.Access.Store;
using Fieldlab.Api.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fieldlab.Api.Notifications;

/// <summary>The caller's own notification settings (<c>/api/me/notifications</c>): on or off, a webhook, an e-mail
/// address, which alert kinds, and clears too or not. A bad setting is refused whole with every field's problem, and
/// what was stored before stays as it was.</summary>
public static class NotificationsApi
{
    /// <summary>The alert kinds of docs/telemetry.md ("Alert").</summary>
    public static readonly IReadOnlyList<string> Kinds = ["bearing", "anomaly", "energy", "rul"];

    private static readonly JsonSerializerOptions AuditJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Maps <c>GET</c> and <c>PUT /api/me/notifications</c>.</summary>
    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/me/notifications").WithTags("Account");
        me.MapGet("/", GetAsync).WithName("MyNotifications").RequireRight("notification", "manage")
            .WithSummary("My notification settings (the webhook secret only as webhook_secret_set).");
        me.MapPut("/", PutAsync).WithName("SetMyNotifications").RequireRight("notification", "manage")
            .WithSummary("Sets my notification settings {enabled, webhook_url, email, kinds, include_cleared, rotate_secret}; a new webhook secret is shown only in this answer.");
        return app;
    }

    /// <summary>GET /api/me/notifications</summary>
    public static async Task<IResult> GetAsync(HttpContext context, MetadataDb db, IOptions<NotificationOptions> options, CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        var settings = await db.NotificationSettings.AsNoTracking().FirstOrDefaultAsync(s => s.UserId == caller.UserId, cancellationToken);
        return TypedResults.Ok(NotificationSettingsView.Of(settings, options.Value, null));
    }

    /// <summary>PUT /api/me/notifications {"enabled":true,"webhook_url":"https://…","email":"…","kinds":["bearing"],"include_cleared":false}</summary>
    public static async Task<IResult> PutAsync(NotificationSettingsRequest request, HttpContext context, MetadataDb db, IOptions<NotificationOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var caller = await CallerContext.RequireAsync(context);
        var o = options.Value;
        var errors = new Dictionary<string, string[]>();
        var webhook = string.IsNullOrWhiteSpace(request.WebhookUrl) ? null : request.WebhookUrl.Trim();
        if (webhook is not null && WebhookAddress.Explain(webhook, o.AllowPrivateWebhooks) is { } hookProblem) errors["webhook_url"] = [hookProblem];
        var email = string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim();
        if (email is not null)
        {
            if (!o.Smtp.IsConfigured)
                errors["email"] = ["this Fieldlab has no SMTP server configured (Notifications:Smtp:Host), so it cannot send e-mail; leave email empty or use a webhook"];
            else if (email.Length > 254 || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
                errors["email"] = [$"'{email}' is not an e-mail address (name@example.org)"];
        }
        var kinds = (request.Kinds ?? []).Select(k => k?.Trim() ?? "").Distinct().ToList();
        var unknown = kinds.Where(k => !Kinds.Contains(k)).ToList();
        if (unknown.Count > 0) errors["kinds"] = [$"unknown kind(s) {string.Join(", ", unknown.Select(k => $"'{k}'"))}: one or more of {string.Join(", ", Kinds)} (empty: all)"];
        if (request.Enabled == true && webhook is null && email is null && !errors.ContainsKey("webhook_url") && !errors.ContainsKey("email"))
            errors["enabled"] = ["notifications need somewhere to go: a webhook_url, an email, or both"];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var now = time.GetUtcNow().UtcDateTime;
        var settings = await db.NotificationSettings.FirstOrDefaultAsync(s => s.UserId == caller.UserId, cancellationToken);
        if (settings is null) db.NotificationSettings.Add(settings = new NotificationSettings { UserId = caller.UserId });
        string? newSecret = null;
        if (webhook is null) settings.WebhookSecret = null;
        else if (settings.WebhookSecret is null || request.RotateSecret == true) settings.WebhookSecret = newSecret = WebhookSignature.NewSecret();
        settings.WebhookUrl = webhook;
        settings.Email = email;
        settings.Enabled = request.Enabled == true;
        settings.Kinds = string.Join(',', kinds.Order(StringComparer.Ordinal));
        settings.IncludeCleared = request.IncludeCleared == true;
        settings.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        // Where messages go is the person's own business: the audit log says what changed, not the addresses.
        await AuditLog.WriteAsync(db, new AuditEntry
        {
            Time = now,
            Actor = caller.UserName,
            ActorRole = caller.Role.ToString(),
            Action = "notification.settings",
            Target = caller.UserName,
            Detail = JsonSerializer.Serialize(new { settings.Enabled, webhook = webhook is not null, email = email is not null, kinds, settings.IncludeCleared, secret_made = newSecret is not null }, AuditJson),
            Outcome = "ok",
        }, CancellationToken.None);
        return TypedResults.Ok(NotificationSettingsView.Of(settings, o, newSecret));
    }
}

/// <summary>Body of <c>PUT /api/me/notifications</c> (every field; what is left out is off or empty).</summary>
/// <param name="Enabled">Send notifications.</param>
/// <param name="WebhookUrl">http(s) URL for a signed JSON POST per alert, or null.</param>
/// <param name="Email">E-mail address, or null.</param>
/// <param name="Kinds">Alert kinds to hear of (<c>bearing</c>, <c>anomaly</c>, <c>energy</c>, <c>rul</c>); empty or null: all.</param>
/// <param name="IncludeCleared">Also hear when an alert clears.</param>
/// <param name="RotateSecret">Make a new webhook secret even though one exists.</param>
public sealed record NotificationSettingsRequest(bool? Enabled, string? WebhookUrl, string? Email, IReadOnlyList<string?>? Kinds, bool? IncludeCleared, bool? RotateSecret);

/// <summary>Notification settings as the API shows them.</summary>
/// <param name="Enabled">On or off.</param>
/// <param name="WebhookUrl">The webhook, or null.</param>
/// <param name="WebhookSecretSet">Whether a signing secret exists (it is shown only once, in <paramref name="WebhookSecret"/>).</param>
/// <param name="WebhookSecret">A secret made by this request, or null.</param>
/// <param name="Email">The address, or null.</param>
/// <param name="EmailAvailable">Whether this Fieldlab can send e-mail (an SMTP server is configured).</param>
/// <param name="Kinds">Kinds asked for (empty: all).</param>
/// <param name="IncludeCleared">Clears too.</param>
/// <param name="RateLimit">At most this many messages per channel …</param>
/// <param name="RateWindowSeconds">… within this many seconds; the rest is summarised in the next message.</param>
/// <param name="UpdatedAt">Last change, or null when never set.</param>
public sealed record NotificationSettingsView(bool Enabled, string? WebhookUrl, bool WebhookSecretSet, string? WebhookSecret, string? Email, bool EmailAvailable,
    IReadOnlyList<string> Kinds, bool IncludeCleared, int RateLimit, double RateWindowSeconds, DateTime? UpdatedAt)
{
    /// <summary>The view of stored settings (null: none yet).</summary>
    public static NotificationSettingsView Of(NotificationSettings? s, NotificationOptions o, string? newSecret) => new(
        s?.Enabled ?? false, s?.WebhookUrl, s?.WebhookSecret is not null, newSecret, s?.Email, o.Smtp.IsConfigured,
        s is null || s.Kinds.Length == 0 ? [] : s.Kinds.Split(','), s?.IncludeCleared ?? false, o.RateLimit, o.RateWindow.TotalSeconds, s?.UpdatedAt);
}
