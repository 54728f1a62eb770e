using Fieldlab.Access.Accounts;
using Fieldlab.Api.Access;
using Fieldlab.Api.Access.Authentication;
using Fieldlab.Access.Store;
using Fieldlab.Telemetry.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace Fieldlab.Api.Session;

/// <summary>Signing in with a local account: the console's form post (an HttpOnly, SameSite=Strict cookie; the form
/// carries an antiforgery token), or a script's JSON post that returns a personal API token. Both count wrong passwords
/// towards the account's lockout.</summary>
public static class SessionApi
{
    /// <summary>Maps <c>/api/session</c>.</summary>
    public static IEndpointRouteBuilder MapSessionApi(this IEndpointRouteBuilder app)
    {
        var session = app.MapGroup("/api/session").WithTags("Session");
        session.MapGet("/antiforgery", Antiforgery).WithName("Antiforgery").RequireRight("session", "sign-in")
            .WithSummary("An antiforgery token for the sign-in form and for state changes made with the console's session.");
        session.MapPost("/", SignInAsync).WithName("SignIn").RequireRight("session", "sign-in").DisableAntiforgery()
            .WithSummary("Form post (username, password, and the antiforgery token): signs in with a session cookie.");
        session.MapPost("/token", IssueTokenAsync).WithName("IssueToken").RequireRight("session", "sign-in")
            .WithSummary("JSON {user_name, password, name, valid_for}: a personal API token for scripts and Jupyter.");
        session.MapDelete("/", SignOutAsync).WithName("SignOut").RequireRight("session", "sign-out").WithSummary("Ends the console session.");
        return app;
    }

    /// <summary>GET /api/session/antiforgery</summary>
    public static IResult Antiforgery(HttpContext context, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return TypedResults.Ok(new { form_field = tokens.FormFieldName, header = tokens.HeaderName, token = tokens.RequestToken });
    }

    /// <summary>POST /api/session (form)</summary>
    public static async Task<IResult> SignInAsync(HttpContext context, IAntiforgery antiforgery, PasswordSignIn signIn, CancellationToken cancellationToken)
    {
        if (!context.Request.HasFormContentType) return TypedResults.Problem("Post the sign-in form (application/x-www-form-urlencoded).", statusCode: 415, title: "Form expected");
        if (!await antiforgery.IsRequestValidAsync(context))
            return TypedResults.Problem("The form's antiforgery token is missing or wrong (GET /api/session/antiforgery).", statusCode: 400, title: "Antiforgery token missing or wrong");
        var form = await context.Request.ReadFormAsync(cancellationToken);
        var user = await signIn.VerifyAsync(form["username"], form["password"], "form", cancellationToken);
        if (user is null) return TypedResults.Problem(PasswordSignIn.Refusal, statusCode: 401, title: "Sign-in failed");
        await context.SignInAsync(FieldlabAuthentication.CookieScheme, FieldlabAuthentication.CookiePrincipal(user));
        return TypedResults.Ok(new { user_name = user.UserName, role = user.Role.ToString() });
    }

    /// <summary>POST /api/session/token</summary>
    public static async Task<IResult> IssueTokenAsync([FromBody] TokenRequest request, PasswordSignIn signIn, MetadataDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var lifetime = Duration.Parse(request.ValidFor ?? "30d");
        if (lifetime is null || lifetime <= TimeSpan.Zero || lifetime > ApiTokens.MaxLifetime)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["valid_for"] = [$"a duration up to {ApiTokens.MaxLifetime.TotalDays:F0}d (e.g. 30d)"] });
        var user = await signIn.VerifyAsync(request.UserName, request.Password, "token", cancellationToken);
        if (user is null) return TypedResults.Problem(PasswordSignIn.Refusal, statusCode: 401, title: "Sign-in failed");
        var (token, text) = await ApiTokens.CreateAsync(db, user.Id, request.Name ?? "script", lifetime.Value, time.GetUtcNow().UtcDateTime, cancellationToken);
        return TypedResults.Created($"/api/me/tokens/{token.Id}", new { token = text, id = token.Id, name = token.Name, expires_at = token.ExpiresAt });
    }

    /// <summary>DELETE /api/session</summary>
    public static async Task<IResult> SignOutAsync(HttpContext context, CancellationToken cancellationToken)
    {
        await context.SignOutAsync(FieldlabAuthentication.CookieScheme);
        return TypedResults.NoContent();
    }
}

/// <summary>Body of <c>POST /api/session/token</c>.</summary>
public sealed record TokenRequest(string? UserName, string? Password, string? Name, string? ValidFor);
