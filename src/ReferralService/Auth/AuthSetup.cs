using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace ReferralService.Auth;

internal sealed class TokenOptions
{
    /// <summary>How long past its expiry (or before its start) a token is still accepted, for clocks that disagree.</summary>
    [Range(0, 300)]
    public int ClockSkewSeconds { get; set; } = 30;
}

internal static class AuthSetup
{
    /// <summary>
    /// JWT bearer, configured from Authentication:Schemes:Bearer (ValidIssuer, ValidAudiences,
    /// SigningKeys, or Authority for JWKS). Start-up fails when nothing could validate a token.
    /// Every token must name its subject: idempotency keys and rate limits belong to it.
    /// </summary>
    public static IServiceCollection AddReferralAuth(this IServiceCollection services)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            options.TimeProvider = TimeProvider.System; // token lifetimes are real time, whatever Clock:Offset says
            options.SaveToken = false; // nothing reads the raw token back from the authentication properties
            options.TokenValidationParameters.RoleClaimType = "role";
            options.TokenValidationParameters.NameClaimType = "sub";
            options.Events = new JwtBearerEvents { OnTokenValidated = RequireSubject, OnChallenge = SayInvalidToken };
        });
        services.AddOptions<TokenOptions>().BindConfiguration("Authentication").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<TokenOptions>, IHostEnvironment>(
            (options, tokens, environment) =>
            {
                options.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(tokens.Value.ClockSkewSeconds);
                // Why a token was refused ("The issuer 'evil' is invalid") helps a developer, and an attacker.
                options.IncludeErrorDetails = environment.IsDevelopment();
            });
        // Keys from configuration (SigningKeys) arrive as a lazy sequence that reads the configuration and
        // decodes every key again each time it is enumerated, and the handler enumerates it on every request.
        // Read them once: the same key objects then also keep their cached signature providers.
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
        {
            var parameters = options.TokenValidationParameters;
            parameters.IssuerSigningKeys = parameters.IssuerSigningKeys?.ToArray();
        });
        services.AddSingleton<IValidateOptions<JwtBearerOptions>, BearerOptionsValidator>();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).ValidateOnStart();
        services.AddAuthorization(Policies.Add);
        return services;
    }

    /// <summary>Exactly one non-blank <c>sub</c>, or the token is refused (401).</summary>
    private static Task RequireSubject(TokenValidatedContext context)
    {
        var subjects = context.Principal?.FindAll("sub").ToList() ?? [];
        if (subjects.Count != 1 || string.IsNullOrWhiteSpace(subjects[0].Value))
        {
            context.Fail("The token has no subject (sub).");
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// A refused token is answered with the standard <c>error="invalid_token"</c> (RFC 6750); the reason
    /// (error_description) only where IncludeErrorDetails is on. A missing token gets a bare challenge.
    /// </summary>
    private static Task SayInvalidToken(JwtBearerChallengeContext context)
    {
        if (context.AuthenticateFailure is not null && string.IsNullOrEmpty(context.Error))
        {
            context.Error = "invalid_token";
        }
        return Task.CompletedTask;
    }

    private sealed class BearerOptionsValidator : IValidateOptions<JwtBearerOptions>
    {
        public ValidateOptionsResult Validate(string? name, JwtBearerOptions options)
        {
            if (name != JwtBearerDefaults.AuthenticationScheme)
            {
                return ValidateOptionsResult.Skip;
            }
            var parameters = options.TokenValidationParameters;
            var hasKeys = parameters.IssuerSigningKey is not null || parameters.IssuerSigningKeys?.Any() == true;
            if (!hasKeys && string.IsNullOrEmpty(options.Authority) && string.IsNullOrEmpty(options.MetadataAddress))
            {
                return ValidateOptionsResult.Fail(
                    "No way to validate bearer tokens: set Authentication:Schemes:Bearer:Authority or SigningKeys (see README).");
            }
            var hasAudience = !string.IsNullOrEmpty(parameters.ValidAudience) || parameters.ValidAudiences?.Any() == true
                || !string.IsNullOrEmpty(options.Audience);
            return hasAudience
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail("Set Authentication:Schemes:Bearer:ValidAudiences.");
        }
    }
}
