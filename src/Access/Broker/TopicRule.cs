namespace Fieldlab.Access.Broker;

/// <summary>One ACL line: read (subscribe and receive) or write (publish) on a topic filter.</summary>
public readonly record struct TopicRule(TopicAccess Access, string Topic)
{
    /// <summary>The line as Mosquitto's <c>acl_file</c> writes it.</summary>
    public override string ToString() => $"topic {(Access == TopicAccess.Read ? "read" : "write")} {Topic}";
}

/// <summary>Read or write.</summary>
public enum TopicAccess
{
    /// <summary>Subscribe and receive.</summary>
    Read,

    /// <summary>Publish.</summary>
    Write,
}
