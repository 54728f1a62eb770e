using Fieldlab.Access.Rights;
using Fieldlab.LocalServers;

namespace Fieldlab.Api.Tests.Access;

/// <summary>The two tables of docs/access.md as the tests read them, from the file in the repository: the rights
/// table (role × resource × action → scope) and the endpoint table (method and route → resource and action).</summary>
public sealed class DocumentedRights
{
    private DocumentedRights(RightsTable rights, IReadOnlyList<DocumentedEndpoint> endpoints, string text)
    {
        Rights = rights;
        Endpoints = endpoints;
        Text = text;
    }

    /// <summary>The rights table.</summary>
    public RightsTable Rights { get; }

    /// <summary>The endpoint table.</summary>
    public IReadOnlyList<DocumentedEndpoint> Endpoints { get; }

    /// <summary>The file's text.</summary>
    public string Text { get; }

    /// <summary>Reads docs/access.md.</summary>
    public static DocumentedRights Load()
    {
        var text = File.ReadAllText(RepositoryRoot.File("docs", "access.md"));
        var table = MarkdownTable.Read(text, "endpoints");
        var endpoints = table.Rows.Select(r => new DocumentedEndpoint(r.Cells[0].Trim(), r.Cells[1].Trim().Trim('`'), new Right(r.Cells[2].Trim(), r.Cells[3].Trim()))).ToList();
        return new DocumentedRights(RightsTable.Parse(text), endpoints, text);
    }
}

/// <summary>One row of the endpoint table.</summary>
public sealed record DocumentedEndpoint(string Method, string Route, Right Right)
{
    /// <summary>How the matrix names it.</summary>
    public string Key => $"{Method} {Route}";
}
