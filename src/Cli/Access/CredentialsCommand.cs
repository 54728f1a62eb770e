using System.CommandLine;
using Fieldlab.Access.Accounts;
using Fieldlab.Access.Broker;
using Fieldlab.Access.Store;
using Fieldlab.Access.Tenancy;
using Fieldlab.Telemetry.Hosting;
using Fieldlab.Telemetry.Wire;
using Microsoft.EntityFrameworkCore;

namespace Fieldlab.Cli.Access;

/// <summary><c>credentials WHO</c>: everything a person (or a gateway, or a service) needs to connect, on one line for
/// scripts: <c>credentials user=U password=P token=T mqtt_username=M mqtt_password=Q</c>. The token is new each time;
/// the password is the generated one (<c>-</c> if the person changed it; <c>--reset-password</c> makes a new one); the
/// broker password is derived, so it is printed again unchanged; the broker's files are brought up to date before the
/// command returns.</summary>
internal static class CredentialsCommand
{
    /// <summary>The <c>credentials</c> command.</summary>
    public static Command Create()
    {
        var who = new Argument<string>("who") { Description = "USER, gateway:SITE/RIG or service:NAME" };
        var state = AccessOptions.State();
        var port = AccessOptions.MqttPort();
        var reset = new Option<bool>("--reset-password") { Description = "Give the user a new generated password (and print it)" };
        var validFor = new Option<string>("--valid-for") { Description = "Lifetime of the new API token", DefaultValueFactory = _ => "30d" };
        var command = new Command("credentials", "Prints the credentials of a user, gateway or service. Last line: credentials user=U password=P token=T mqtt_username=M mqtt_password=Q")
        {
            who, state, port, reset, validFor,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            await using var context = await AccessContext.OpenAsync(result.GetValue(state)!, result.GetValue(port), cancellationToken);
            var target = result.GetValue(who)!;
            string line;
            if (target.StartsWith("gateway:", StringComparison.Ordinal) || target.StartsWith("service:", StringComparison.Ordinal))
            {
                var (principal, password) = await MachineAsync(context, target, cancellationToken);
                line = $"credentials user={target} password=- token=- mqtt_username={principal} mqtt_password={password}";
            }
            else
            {
                var lifetime = Duration.Parse(result.GetValue(validFor)) ?? throw new UsageException("--valid-for: a duration (e.g. 30d)");
                var user = await context.Users.FindByNameAsync(target) ?? throw new UsageException($"no user '{target}' (./fieldlab users list)");
                var known = GeneratedPasswordsFile.Read(context.Layout.GeneratedPasswords);
                string password;
                if (result.GetValue(reset))
                {
                    password = GeneratedPassword.New();
                    await UserAccounts.SetPasswordAsync(context.Users, user, password);
                    GeneratedPasswordsFile.Update(context.Layout.GeneratedPasswords, new Dictionary<string, string?> { [target] = password });
                }
                else if (known.TryGetValue(target, out var generated) && await context.Users.CheckPasswordAsync(user, generated))
                {
                    password = generated;
                }
                else
                {
                    password = "-";
                    error.WriteLine($"{target} has chosen their own password (or signs in through the school's provider); --reset-password makes a new one.");
                }
                var (_, token) = await ApiTokens.CreateAsync(context.Db, user.Id, "credentials", lifetime, DateTime.UtcNow, cancellationToken);
                line = $"credentials user={target} password={password} token={token} mqtt_username={user.UserName} mqtt_password={context.Passwords.For(user.UserName!, user.MqttGeneration)}";
            }
            var outcome = await context.ApplyBrokerAccessAsync(cancellationToken);
            if (outcome != BrokerReloadOutcome.Unchanged) error.WriteLine($"broker access files {outcome.ToString().ToLowerInvariant()}");
            output.WriteLine(line);
            return CliRoot.Success;
        });
        return command;
    }

    private static async Task<(string Principal, string Password)> MachineAsync(AccessContext context, string target, CancellationToken cancellationToken)
    {
        if (target.StartsWith("service:", StringComparison.Ordinal))
        {
            var name = target["service:".Length..];
            var service = await context.Db.ServiceAccounts.AsNoTracking().FirstOrDefaultAsync(s => s.Name == name, cancellationToken)
                ?? throw new UsageException($"no service '{name}'");
            var principal = PrincipalNames.Service(service.Name);
            return (principal, context.Passwords.For(principal, service.KeyGeneration));
        }
        var parts = target["gateway:".Length..].Split('/');
        if (parts.Length != 2 || !WireNames.IsValidSegment(parts[0]) || !WireNames.IsValidSegment(parts[1])) throw new UsageException("gateway:SITE/RIG");
        var rig = await context.Db.Rigs.AsNoTracking().FirstOrDefaultAsync(r => r.SiteId == parts[0] && r.RigId == parts[1], cancellationToken)
            ?? throw new UsageException($"no registered rig {parts[0]}/{parts[1]} (./fieldlab rigs add)");
        var gateway = PrincipalNames.Gateway(new RigAddress(rig.SiteId, rig.RigId));
        return (gateway, context.Passwords.For(gateway, rig.GatewayKeyGeneration));
    }
}
