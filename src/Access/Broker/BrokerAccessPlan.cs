using Fieldlab.Access.Rights;
using Fieldlab.Access.Store;
using Fieldlab.Telemetry.Wire;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Access.Broker;

/// <summary>Turns the metadata store into broker principals: every service connection, every registered rig's gateway,
/// every person — people with read rights on exactly the rig topics the <see cref="RigPolicy"/> grants them now.
/// Because the broker cannot look at time, the plan also says when it next changes (a pilot window or a truth release
/// starting or ending), so that the caller can render it again at that moment.</summary>
public sealed class BrokerAccessPlan(MqttPasswords passwords, RigPolicy policy)
{
    /// <summary>The principals as of <paramref name="now"/>, and the next moment at which they change by time alone.</summary>
    public async Task<(IReadOnlyList<BrokerPrincipal> Principals, DateTime? NextChange)> BuildAsync(MetadataDb db, DateTime now, CancellationToken cancellationToken)
    {
        var principals = new List<BrokerPrincipal>();
        var sandboxes = await db.Sandboxes.AsNoTracking().OrderBy(s => s.SiteId).Select(s => s.SiteId).ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var service in await db.ServiceAccounts.AsNoTracking().OrderBy(s => s.Name).ToListAsync(cancellationToken).ConfigureAwait(false))
        {
            var name = PrincipalNames.Service(service.Name);
            var password = passwords.For(name, service.KeyGeneration);
            if (service.Kind == ServiceKind.Ingest)
            {
                foreach (var suffix in PrincipalNames.IngestConnections) principals.Add(new BrokerPrincipal(name + suffix, password, TopicRights.Ingest()));
            }
            else
            {
                principals.Add(new BrokerPrincipal(name, password, [.. TopicRights.Api(), .. sandboxes.SelectMany(TopicRights.SandboxCloser)]));
            }
        }

        var rigs = await RigFactsQuery.LoadAllAsync(db, null, cancellationToken).ConfigureAwait(false);
        var generations = await db.Rigs.AsNoTracking().ToDictionaryAsync(r => (r.SiteId, r.RigId), r => r.GatewayKeyGeneration, cancellationToken).ConfigureAwait(false);
        foreach (var rig in rigs)
        {
            var address = new RigAddress(rig.SiteId, rig.RigId);
            var name = PrincipalNames.Gateway(address);
            principals.Add(new BrokerPrincipal(name, passwords.For(name, generations[(rig.SiteId, rig.RigId)]), TopicRights.Gateway(address)));
        }

        var members = await db.ClassMembers.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var user in await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(cancellationToken).ConfigureAwait(false))
        {
            var caller = CallerQuery.From(user, [.. members.Where(m => m.UserId == user.Id).Select(m => m.ClassId)]);
            var rules = caller.Role == Role.Administrator ? TopicRights.Administrator() : [.. rigs.SelectMany(r => PersonRules(caller, r, now))];
            principals.Add(new BrokerPrincipal(caller.UserName, passwords.For(caller.UserName, user.MqttGeneration), rules));
        }
        return (principals, NextChange(rigs, now));
    }

    /// <summary>The broker password of a person, gateway or service principal.</summary>
    public string PasswordOf(string username, int generation) => passwords.For(username, generation);

    private IEnumerable<TopicRule> PersonRules(Caller caller, RigFacts rig, DateTime now)
    {
        var visibility = policy.Evaluate(caller, rig, now);
        if (!visibility.Status) return [];
        var address = new RigAddress(rig.SiteId, rig.RigId);
        var channels = new List<string>(TopicRights.StatusChannels);
        if (visibility.Data.Contains(now)) channels.AddRange(TopicRights.DataChannels);
        if (visibility.Truth.Contains(now)) channels.AddRange(TopicRights.TruthChannels);
        return TopicRights.Reader(address, channels);
    }

    private static DateTime? NextChange(IEnumerable<RigFacts> rigs, DateTime now)
    {
        var moments = rigs.SelectMany(r => r.Pilots.SelectMany(p => new[] { p.Window.From, p.Window.To })
                .Append(r.TruthReleasedUntil == DateTime.MaxValue ? null : r.TruthReleasedUntil))
            .Where(t => t is { } v && v > now)
            .Select(t => t!.Value);
        return moments.Any() ? moments.Min() : null;
    }
}
