using System.Security.Cryptography;
using Fieldlab.Access.Broker;
using Fieldlab.Telemetry.Mqtt;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.LocalServers;

/// <summary>The broker principals of a throwaway Fieldlab (tests, benchmarks, chaos runs), with the same rights and the
/// same password derivation as a real one (src/Access/Broker: <see cref="TopicRights"/>, <see cref="MqttPasswords"/>),
/// but without a metadata store: gateways, ingest replicas and the API are added by name, and a test adds its own
/// observers and injectors with exactly the topics they need.</summary>
public sealed class LocalAccess
{
    private readonly Dictionary<string, BrokerPrincipal> _principals = new(StringComparer.Ordinal);

    /// <summary>A new key (the store-based plan of a test's API can share it: same key, same passwords).</summary>
    public LocalAccess(byte[]? key = null)
    {
        Key = key ?? RandomNumberGenerator.GetBytes(32);
        Passwords = new MqttPasswords(Key);
    }

    /// <summary>The broker password key.</summary>
    public byte[] Key { get; }

    /// <summary>Passwords derived from <see cref="Key"/> (generation 0).</summary>
    public MqttPasswords Passwords { get; }

    /// <summary>Every principal added so far.</summary>
    public IReadOnlyList<BrokerPrincipal> Principals => [.. _principals.Values];

    /// <summary>Adds (or replaces) principals.</summary>
    public LocalAccess Add(params BrokerPrincipal[] principals)
    {
        foreach (var p in principals) _principals[p.Username] = p;
        return this;
    }

    /// <summary>A rig's gateway principal (added).</summary>
    public BrokerPrincipal Gateway(RigAddress rig) => Made(PrincipalNames.Gateway(rig), TopicRights.Gateway(rig));

    /// <summary>An ingest replica's three principals (added); the first is the one to configure (<c>Mqtt:Username</c>).</summary>
    public BrokerPrincipal Ingest(string name)
    {
        var username = PrincipalNames.Service(name);
        var password = Passwords.For(username, 0);
        foreach (var suffix in PrincipalNames.IngestConnections) Add(new BrokerPrincipal(username + suffix, password, TopicRights.Ingest()));
        return _principals[username];
    }

    /// <summary>The API's principal (added).</summary>
    public BrokerPrincipal Api(string name) => Made(PrincipalNames.Service(name), TopicRights.Api());

    /// <summary>A test's own client with exactly <paramref name="rules"/> (added).</summary>
    public BrokerPrincipal Client(string username, params TopicRule[] rules) => Made(username, rules);

    /// <summary>Connection options of a principal on a broker at <paramref name="port"/>.</summary>
    public static MqttConnectionOptions Options(BrokerPrincipal principal, int port) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        ClientId = principal.Username,
        Username = principal.Username,
        Password = principal.Password,
        ReconnectDelayMin = TimeSpan.FromMilliseconds(50),
        ReconnectDelayMax = TimeSpan.FromMilliseconds(500),
    };

    private BrokerPrincipal Made(string username, IReadOnlyList<TopicRule> rules)
    {
        var principal = new BrokerPrincipal(username, Passwords.For(username, 0), rules);
        Add(principal);
        return principal;
    }
}
