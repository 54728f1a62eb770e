using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Telemetry.Wire;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Api.Notifications;

/// <summary>Who hears of an alert: everybody with notifications on who may see it — the <see cref="RigPolicy"/>
/// evaluated now, with a data window containing the alert's time — and who asked for its kind (and for clears, if it
/// is one). Read fresh from the store for every alert, so that a changed role, pilot or setting counts at once.</summary>
public sealed class NotificationAudience(RigPolicy policy)
{
    /// <summary>The recipients of <paramref name="alert"/> on <paramref name="rig"/> raised or cleared at <paramref name="at"/>.</summary>
    public async Task<IReadOnlyList<Recipient>> OfAsync(MetadataDb db, RigAddress rig, RigAlert alert, DateTime at, DateTime now, CancellationToken cancellationToken)
    {
        var facts = await RigFactsQuery.LoadAsync(db, rig, cancellationToken);
        if (facts is null) return []; // not a registered rig: nobody may see it
        var settings = await db.NotificationSettings.AsNoTracking().Where(s => s.Enabled).ToListAsync(cancellationToken);
        if (settings.Count == 0) return [];
        var ids = settings.Select(s => s.UserId).ToList();
        var users = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, cancellationToken);
        var classes = (await db.ClassMembers.AsNoTracking().Where(m => ids.Contains(m.UserId)).ToListAsync(cancellationToken))
            .ToLookup(m => m.UserId, m => m.ClassId);
        var recipients = new List<Recipient>();
        foreach (var s in settings)
        {
            if (!users.TryGetValue(s.UserId, out var user)) continue;
            if (alert.State == "cleared" && !s.IncludeCleared) continue;
            if (s.Kinds.Length > 0 && !s.Kinds.Split(',').Contains(alert.Kind)) continue;
            var caller = CallerQuery.From(user, [.. classes[user.Id]]);
            if (!policy.Evaluate(caller, facts, now).Allows(RigRights.Data, at)) continue;
            recipients.Add(new Recipient(user.Id, user.UserName ?? "", s.WebhookUrl is { } url && s.WebhookSecret is { } secret ? (url, secret) : null, s.Email));
        }
        return recipients;
    }
}

/// <summary>One person to notify, with where to.</summary>
/// <param name="UserId">The account.</param>
/// <param name="UserName">Its name (for the audit log).</param>
/// <param name="Webhook">URL and signing secret, or null.</param>
/// <param name="Email">Address, or null.</param>
public sealed record Recipient(string UserId, string UserName, (string Url, string Secret)? Webhook, string? Email);
