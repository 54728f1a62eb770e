using System.Text;
using System.Text.RegularExpressions;
using Fieldlab.Api.Console;
using Microsoft.AspNetCore.Http;

namespace Fieldlab.Api.Tests.Console;

/// <summary>The console's HTML shell: the language it starts in follows Accept-Language, route values reach the page
/// only HTML-encoded in data attributes, and the only script is the app module loaded by URL (no inline script, so the
/// Content-Security-Policy can forbid inline scripts).</summary>
public sealed partial class ConsoleShellTests
{
    private static HttpRequest Request(string? acceptLanguage)
    {
        var context = new DefaultHttpContext();
        if (acceptLanguage is not null) context.Request.Headers.AcceptLanguage = acceptLanguage;
        return context.Request;
    }

    [Theory]
    [InlineData("nl-NL,nl;q=0.9,en;q=0.8", "nl")]
    [InlineData("nl", "nl")]
    [InlineData("NL-be", "nl")] // language tags are case-insensitive
    [InlineData("de-DE,nl;q=0.5", "nl")] // the first language the console speaks, not the first of the list
    [InlineData("en-GB,nl;q=0.5", "en")]
    [InlineData("de-DE", "en")]
    [InlineData("de-DE,fr;q=0.8", "en")]
    [InlineData("", "en")]
    [InlineData(null, "en")]
    [InlineData("*", "en")]
    public void LanguageOf_IsTheFirstSpokenLanguageOfAcceptLanguage_OrEnglish(string? header, string expected)
    {
        Assert.Equal(expected, ConsoleShell.LanguageOf(Request(header)));
    }

    [Fact]
    public void Render_SetsTheDocumentLanguage()
    {
        Assert.Contains("<html lang=\"nl\">", ConsoleShell.Render("rig", "nl", null));
        Assert.Contains("<html lang=\"en\">", ConsoleShell.Render("rig", "en", null));
    }

    [Fact]
    public void Render_HtmlEncodesRouteValues_SoAValueCannotOpenATagOrAnAttribute()
    {
        const string evil = "\"><script>alert(1)</script>";
        var html = ConsoleShell.Render("rig", "en", new Dictionary<string, string?> { ["site"] = "lab", ["rig"] = evil });
        Assert.DoesNotContain(evil, html);
        Assert.DoesNotContain("<script>alert", html);
        // The value is there, encoded, inside its own attribute.
        Assert.Contains("data-rig=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\"", html);
        Assert.Contains("data-site=\"lab\"", html);
        Assert.Contains("data-page=\"rig\"", html);
    }

    [Fact]
    public void Render_HtmlEncodesThePageAndTheReturnPath_WhichTheCallerChooses()
    {
        // The sign-in page carries the requested path and query back ("return"): attacker-chosen text.
        const string back = "/console/rigs/lab/x?a='\"><img src=x onerror=alert(1)>&b=1";
        var html = ConsoleShell.Render("x\"><img src=y onerror=alert(2)>", "en",
            new Dictionary<string, string?> { ["return"] = back, ["skipped"] = null });
        Assert.DoesNotContain("<img", html);
        Assert.Contains("data-return=\"/console/rigs/lab/x?a=&#39;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;b=1\"", html);
        Assert.DoesNotContain("data-skipped", html); // a null value is left out, not rendered as an empty attribute
        // Every attribute of the body is a well-formed name="value" pair: no quote escaped its attribute.
        var body = BodyTag().Match(html);
        Assert.True(body.Success, html);
        Assert.Matches("^(\\s+[\\w-]+=\"[^\"<>]*\")*$", body.Groups["attributes"].Value);
    }

    [Fact]
    public void Render_HasNoInlineScript_AndLoadsTheAppAsAModule()
    {
        var html = ConsoleShell.Render("overview", "en", new Dictionary<string, string?> { ["site"] = "lab" });
        var scripts = ScriptTag().Matches(html);
        Assert.NotEmpty(scripts);
        foreach (Match script in scripts)
        {
            Assert.Contains("src=", script.Groups["attributes"].Value);
            Assert.True(string.IsNullOrWhiteSpace(script.Groups["body"].Value), $"inline script: {script.Value}");
        }
        // No event-handler attributes anywhere either (onload=, onclick=): they are inline scripts by another name.
        Assert.DoesNotMatch("\\son[a-z]+\\s*=", html);
        var app = Assert.Single(scripts, s => s.Groups["attributes"].Value.Contains("src=\"/console/assets/app.js\""));
        Assert.Contains("type=\"module\"", app.Groups["attributes"].Value);
    }

    [Fact]
    public async Task WriteAsync_AnswersTheShellInTheCallersLanguage_WithTheStatus()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.AcceptLanguage = "nl-NL,nl;q=0.9,en;q=0.8";
        var body = new MemoryStream();
        context.Response.Body = body;
        await ConsoleShell.WriteAsync(context, "sign-in", 401);
        Assert.Equal(401, context.Response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", context.Response.ContentType);
        var html = Encoding.UTF8.GetString(body.ToArray());
        Assert.Contains("<html lang=\"nl\">", html);
        Assert.Contains("data-page=\"sign-in\"", html);
    }

    [GeneratedRegex("<body(?<attributes>[^>]*)>")]
    private static partial Regex BodyTag();

    [GeneratedRegex("<script(?<attributes>[^>]*)>(?<body>.*?)</script>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();
}
