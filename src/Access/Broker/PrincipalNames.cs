using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Access.Broker;

/// <summary>Broker user names of machines. People log in with their account name, which never contains a dot; machines'
/// names always do, so the two can never collide (and with <c>use_username_as_clientid</c> nobody can take over a
/// machine's session by choosing its client id).</summary>
public static class PrincipalNames
{
    /// <summary>The broker user of a rig's gateway: <c>gw.{site}.{rig}</c>.</summary>
    public static string Gateway(RigAddress rig) => $"gw.{rig.Site}.{rig.Rig}";

    /// <summary>The broker user of a service: <c>svc.{name}</c>.</summary>
    public static string Service(string name) => $"svc.{name}";

    /// <summary>Suffixes of the further connections of an ingest replica (each connection is its own broker user,
    /// with the replica's password): the backlog lane and the condition monitor's alerts.</summary>
    public static readonly string[] IngestConnections = ["", "-backlog", "-models"];

    /// <summary>The user whose password changes on every reload: connecting with it proves the broker read the new files.</summary>
    public const string ReloadProbe = "svc.reload-probe";
}
