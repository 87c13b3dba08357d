using System.Security.Claims;

namespace ReferralService.Auth;

internal static class Roles
{
    public const string Admin = "admin";
    public const string Merchant = "merchant";
    public const string Finance = "finance";
    public const string Customer = "customer";
}

/// <summary>Authorization policies by role (claim <c>role</c>); the customer id of a customer token is <c>sub</c>.</summary>
internal static class Policies
{
    public const string Admin = nameof(Admin);
    public const string Merchant = nameof(Merchant);
    public const string Finance = nameof(Finance);
    public const string Staff = nameof(Staff);
    public const string CustomerData = nameof(CustomerData);
    public const string CustomerCode = nameof(CustomerCode);

    public static void Add(Microsoft.AspNetCore.Authorization.AuthorizationOptions options)
    {
        options.AddPolicy(Admin, p => p.RequireRole(Roles.Admin));
        options.AddPolicy(Merchant, p => p.RequireRole(Roles.Admin, Roles.Merchant));
        options.AddPolicy(Finance, p => p.RequireRole(Roles.Admin, Roles.Finance));
        options.AddPolicy(Staff, p => p.RequireRole(Roles.Admin, Roles.Merchant, Roles.Finance));
        options.AddPolicy(CustomerData, p => p.RequireRole(Roles.Admin, Roles.Merchant, Roles.Finance, Roles.Customer));
        options.AddPolicy(CustomerCode, p => p.RequireRole(Roles.Admin, Roles.Merchant, Roles.Customer));
    }

    /// <summary>
    /// Staff roles may act for any customer; a customer token only for its own id. Another
    /// customer's data is answered as not found, so ids cannot be probed.
    /// </summary>
    public static bool MayActFor(this ClaimsPrincipal user, string customerId) =>
        user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Merchant) || user.IsInRole(Roles.Finance)
        || (user.IsInRole(Roles.Customer) && user.FindFirst("sub")?.Value == customerId);
}
