namespace Fieldlab.Access.Store;

/// <summary>A Fieldlab service that talks to the broker (an ingest replica, the API): its own broker principals with the
/// least rights its kind needs (Broker/TopicRights).</summary>
public sealed class ServiceAccount
{
    /// <summary>Name, e.g. <c>ingest-1</c>; its broker user is <c>svc.{Name}</c>.</summary>
    public required string Name { get; set; }

    /// <summary>What it is.</summary>
    public ServiceKind Kind { get; set; }

    /// <summary>Bumped to rotate its broker password.</summary>
    public int KeyGeneration { get; set; }

    /// <summary>When it was registered (UTC).</summary>
    public DateTime CreatedAt { get; set; }
}

/// <summary>Kinds of service principal.</summary>
public enum ServiceKind
{
    /// <summary>An ingest replica (three connections: live, backlog, models).</summary>
    Ingest,

    /// <summary>The API (one connection: births, states, commands and their replies).</summary>
    Api,
}
