using System.CommandLine;
using System.Globalization;
using Fieldlab.Access.Accounts;
using Fieldlab.Access.Audit;
using Fieldlab.Access.Lifecycle;
using Fieldlab.Access.Rights;
using Fieldlab.Access.Secrets;
using Fieldlab.Access.Store;
using Fieldlab.Access.Tenancy;
using Fieldlab.Telemetry.Hosting;
using Fieldlab.Telemetry.Influx;
using Fieldlab.Telemetry.Wire;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Cli.Access;

/// <summary>The operator's commands on the tenancy, straight on the metadata store (the same operations as the API's
/// administrator endpoints): <c>users</c>, <c>sites</c>, <c>rigs</c>, <c>orgs</c>, <c>pilots</c>, <c>erasures</c>,
/// <c>audit</c>. Every change is followed by a broker reload, so that access follows before the command returns.</summary>
internal static class TenancyCommands
{
    /// <summary>Every command group.</summary>
    public static IEnumerable<Command> Create() => [Users(), Sites(), Rigs(), Organisations(), Pilots(), Erasures(), Audit()];

    private static Command Users()
    {
        var users = new Command("users", "Accounts: list, add, unlock, erase (the right to erasure).");
        users.Subcommands.Add(Action("list", "Every account. Last line: users count=N", [], async (c, r, o, ct) =>
        {
            var all = await c.Db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(ct);
            foreach (var u in all) o.WriteLine($"{u.UserName,-24} {u.Role,-14} site={u.SiteId ?? "-"} organisation={u.OrganisationId ?? "-"}{(u.LockoutEnd > DateTimeOffset.UtcNow ? " LOCKED" : "")}");
            return $"users count={all.Count}";
        }));
        var name = new Argument<string>("name") { Description = "Account name" };
        var role = new Option<Role>("--role") { Description = "Student, Instructor, CompanyMember or Administrator", Required = true };
        var site = new Option<string?>("--site") { Description = "Site of a student or instructor" };
        var organisation = new Option<string?>("--organisation") { Description = "Organisation of a company member" };
        var inClass = new Option<string?>("--class") { Description = "Class of a student (at its site)" };
        users.Subcommands.Add(Action("add", "Adds an account with a generated password. Last line: users added=NAME password=P", [name, role, site, organisation, inClass], async (c, r, o, ct) =>
        {
            var password = GeneratedPassword.New();
            var user = await UserAccounts.CreateAsync(c.Users, c.Db, new NewAccount(r.GetValue(name)!, r.GetValue(role), r.GetValue(site), r.GetValue(organisation), password), DateTime.UtcNow, ct);
            if (r.GetValue(inClass) is { } className) await ClassRoster.AddMemberAsync(c.Db, await ClassRoster.FindAsync(c.Db, user.SiteId ?? "", className, ct), user, ct);
            GeneratedPasswordsFile.Update(c.Layout.GeneratedPasswords, new Dictionary<string, string?> { [user.UserName!] = password });
            await Audited(c, "user.create", user.UserName, ct);
            return $"users added={user.UserName} password={password}";
        }));
        var unlockName = new Argument<string>("name") { Description = "Account name" };
        users.Subcommands.Add(Action("unlock", "Ends a lockout after failed sign-ins. Last line: users unlocked=NAME", [unlockName], async (c, r, o, ct) =>
        {
            var user = await c.Users.FindByNameAsync(r.GetValue(unlockName)!) ?? throw new UsageException($"no user '{r.GetValue(unlockName)}'");
            await c.Users.SetLockoutEndDateAsync(user, null);
            await c.Users.ResetAccessFailedCountAsync(user);
            await Audited(c, "user.unlock", user.UserName, ct);
            return $"users unlocked={user.UserName}";
        }));
        var eraseName = new Argument<string>("name") { Description = "Account name" };
        users.Subcommands.Add(Action("erase", "Erases an account (tokens, memberships, broker access); the audit log keeps a pseudonym. Last line: users erased=PSEUDONYM",
            [eraseName], async (c, r, o, ct) =>
        {
            var pseudonym = await AccountErasure.EraseAsync(c.Db, r.GetValue(eraseName)!, "operator (cli)", DateTime.UtcNow, ct, c.Layout.Datasets);
            GeneratedPasswordsFile.Update(c.Layout.GeneratedPasswords, new Dictionary<string, string?> { [r.GetValue(eraseName)!] = null });
            return $"users erased={pseudonym}";
        }));
        return users;
    }

    private static Command Sites()
    {
        var sites = new Command("sites", "Sites.");
        var id = new Argument<string>("id") { Description = "Site id (a-z 0-9 -)" };
        var name = new Option<string?>("--name") { Description = "Name people read" };
        sites.Subcommands.Add(Action("add", "Registers a site. Last line: sites added=ID", [id, name], async (c, r, o, ct) =>
        {
            var site = await SiteRegistry.AddSiteAsync(c.Db, r.GetValue(id)!, r.GetValue(name), DateTime.UtcNow, ct);
            await Audited(c, "site.add", site.Id, ct);
            return $"sites added={site.Id}";
        }));
        return sites;
    }

    private static Command Rigs()
    {
        var rigs = new Command("rigs", "Registered rigs (each gets a gateway principal: ./fieldlab credentials gateway:SITE/RIG).");
        var rig = new Argument<string>("rig") { Description = "SITE/RIG" };
        var description = new Option<string?>("--description") { Description = "What the rig is" };
        rigs.Subcommands.Add(Action("add", "Registers a rig. Last line: rigs added=SITE/RIG", [rig, description], async (c, r, o, ct) =>
        {
            var address = ParseRig(r.GetValue(rig)!);
            await SiteRegistry.AddRigAsync(c.Db, address.Site, address.Rig, r.GetValue(description), DateTime.UtcNow, ct);
            await Audited(c, "rig.register", address.ToString(), ct);
            return $"rigs added={address}";
        }));
        return rigs;
    }

    private static Command Organisations()
    {
        var orgs = new Command("orgs", "Organisations (MKB companies).");
        var id = new Argument<string>("id") { Description = "Organisation id (a-z 0-9 -)" };
        var name = new Option<string?>("--name") { Description = "Name people read" };
        orgs.Subcommands.Add(Action("add", "Registers an organisation. Last line: orgs added=ID", [id, name], async (c, r, o, ct) =>
        {
            var organisation = await SiteRegistry.AddOrganisationAsync(c.Db, r.GetValue(id)!, r.GetValue(name), DateTime.UtcNow, ct);
            await Audited(c, "organisation.add", organisation.Id, ct);
            return $"orgs added={organisation.Id}";
        }));
        return orgs;
    }

    private static Command Pilots()
    {
        var pilots = new Command("pilots", "Pilots: an organisation + rigs + a time window.");
        pilots.Subcommands.Add(Action("list", "Every pilot. Last line: pilots count=N", [], async (c, r, o, ct) =>
        {
            var all = await c.Db.Pilots.AsNoTracking().Include(p => p.Rigs).OrderBy(p => p.Id).ToListAsync(ct);
            foreach (var p in all)
                o.WriteLine($"{p.Id,4} {p.OrganisationId,-16} {p.Start:O} → {(p.End is { } e ? e.ToString("O", CultureInfo.InvariantCulture) : "open"),-28} shared={p.SharedWithInstructors} rigs={string.Join(",", p.Rigs.Select(x => $"{x.SiteId}/{x.RigId}"))}");
            return $"pilots count={all.Count}";
        }));
        var organisation = new Option<string>("--organisation") { Description = "The organisation running it", Required = true };
        var rigs = new Option<string[]>("--rig") { Description = "SITE/RIG (repeat for several rigs)", Required = true, AllowMultipleArgumentsPerToken = true };
        var name = new Option<string?>("--name") { Description = "Name people read" };
        var start = new Option<string>("--start") { Description = "Start of the window (RFC 3339 or now)", DefaultValueFactory = _ => "now" };
        var end = new Option<string?>("--end") { Description = "End of the window (RFC 3339); open-ended without it" };
        var shared = new Option<bool>("--shared") { Description = "Share the data with the site's instructors" };
        pilots.Subcommands.Add(Action("add", "Creates a pilot. Last line: pilots added=ID", [organisation, rigs, name, start, end, shared], async (c, r, o, ct) =>
        {
            var pilot = await PilotBook.CreateAsync(c.Db, r.GetValue(organisation)!, r.GetValue(name), [.. r.GetValue(rigs)!.Select(ParseRig)],
                Time(r.GetValue(start)!), r.GetValue(end) is { } e ? Time(e) : null, r.GetValue(shared), DateTime.UtcNow, ct);
            await Audited(c, "pilot.create", $"pilot:{pilot.Id}", ct);
            return $"pilots added={pilot.Id}";
        }));
        var id = new Argument<int>("id") { Description = "Pilot id" };
        var at = new Option<string>("--at") { Description = "When it ends (RFC 3339 or now)", DefaultValueFactory = _ => "now" };
        pilots.Subcommands.Add(Action("end", "Ends a pilot. Last line: pilots ended=ID at=T", [id, at], async (c, r, o, ct) =>
        {
            var pilot = await PilotBook.EndAsync(c.Db, r.GetValue(id), Time(r.GetValue(at)!), ct);
            await Audited(c, "pilot.end", $"pilot:{pilot.Id}", ct);
            return $"pilots ended={pilot.Id} at={pilot.End:O}";
        }));
        var eraseId = new Argument<int>("id") { Description = "Pilot id (ended)" };
        var mode = new Option<PilotDataDisposal>("--mode") { Description = "Delete (every point in the window) or Anonymise (the window becomes teaching data)", Required = true };
        var influx = InfluxUrl();
        var state = AccessOptions.State();
        pilots.Subcommands.Add(Action("erase", "Disposes of an ended pilot's data on the company's request. Last line: pilots erased=ID mode=M rigs=N", [eraseId, mode, influx], async (c, r, o, ct) =>
        {
            using var client = new InfluxClient(AdminInflux(c.Layout, r.GetValue(influx)!));
            int rigsErased = await PilotErasure.DisposeAsync(c.Db, client, r.GetValue(eraseId), r.GetValue(mode), "operator (cli)", DateTime.UtcNow, ct,
                datasetsDirectory: c.Layout.Datasets);
            return $"pilots erased={r.GetValue(eraseId)} mode={r.GetValue(mode).ToString().ToLowerInvariant()} rigs={rigsErased}";
        }));
        return pilots;
    }

    private static Command Erasures()
    {
        var erasures = new Command("erasures", "The erasure register.");
        var influx = InfluxUrl();
        erasures.Subcommands.Add(Action("reapply", "Deletes again every pilot window that was erased (after restoring a backup from before). Last line: erasures reapplied=N", [influx], async (c, r, o, ct) =>
        {
            using var client = new InfluxClient(AdminInflux(c.Layout, r.GetValue(influx)!));
            return $"erasures reapplied={await PilotErasure.ReapplyAsync(c.Db, client, ct)}";
        }));
        return erasures;
    }

    private static Command Audit()
    {
        var audit = new Command("audit", "The audit log.");
        var keep = new Option<string>("--keep") { Description = "Keep entries younger than this", DefaultValueFactory = _ => "365d" };
        audit.Subcommands.Add(Action("prune", "Deletes entries older than --keep. Last line: audit pruned=N", [keep], async (c, r, o, ct) =>
        {
            var span = Duration.Parse(r.GetValue(keep)) ?? throw new UsageException("--keep: a duration (e.g. 365d)");
            return $"audit pruned={await AuditLog.PruneAsync(c.Db, span, DateTime.UtcNow, ct)}";
        }));
        return audit;
    }

    // A subcommand on the store: runs, reloads the broker's files, prints the last line.
    private static Command Action(string name, string description, Symbol[] symbols, Func<AccessContext, ParseResult, TextWriter, CancellationToken, Task<string>> run)
    {
        var state = AccessOptions.State();
        var port = AccessOptions.MqttPort();
        var command = new Command(name, description);
        foreach (var s in symbols)
        {
            if (s is Argument a) command.Arguments.Add(a);
            else if (s is Option o) command.Options.Add(o);
        }
        command.Options.Add(state);
        command.Options.Add(port);
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var context = await AccessContext.OpenAsync(result.GetValue(state)!, result.GetValue(port), cancellationToken);
            string line;
            try
            {
                line = await run(context, result, result.InvocationConfiguration.Output, cancellationToken);
            }
            catch (TenancyException e)
            {
                throw new UsageException($"{e.Field}: {e.Message}");
            }
            await context.ApplyBrokerAccessAsync(cancellationToken);
            result.InvocationConfiguration.Output.WriteLine(line);
            return CliRoot.Success;
        });
        return command;
    }

    private static Task Audited(AccessContext context, string action, string? target, CancellationToken cancellationToken) =>
        AuditLog.WriteAsync(context.Db, new AuditEntry { Time = DateTime.UtcNow, Actor = "operator (cli)", ActorRole = "Administrator", Action = action, Target = target, Outcome = "ok" }, cancellationToken);

    private static Option<string> InfluxUrl() => new("--influx-url") { Description = "InfluxDB's HTTP address", DefaultValueFactory = _ => "http://127.0.0.1:28086" };

    private static InfluxOptions AdminInflux(StateLayout layout, string url) => new()
    {
        Url = url,
        Database = "fieldlab",
        Username = "admin",
        Password = SecretFiles.Read(layout.InfluxPasswordFile("admin")),
    };

    private static RigAddress ParseRig(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2 || !WireNames.IsValidSegment(parts[0]) || !WireNames.IsValidSegment(parts[1])) throw new UsageException($"'{text}' is not SITE/RIG");
        return new RigAddress(parts[0], parts[1]);
    }

    private static DateTime Time(string text) => text == "now" ? DateTime.UtcNow
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t.UtcDateTime
        : throw new UsageException($"'{text}' is not a time (RFC 3339 or now)");
}
