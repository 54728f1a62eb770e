namespace Fieldlab.Access.Store;

/// <summary>A fieldlab location (a test hall); the first segment of every topic and route (<c>techport</c>).</summary>
public sealed class Site
{
    /// <summary>Site id: a topic segment (<c>a-z 0-9 -</c>).</summary>
    public required string Id { get; set; }

    /// <summary>Name people read.</summary>
    public string Name { get; set; } = "";

    /// <summary>When it was registered (UTC).</summary>
    public DateTime CreatedAt { get; set; }
}
