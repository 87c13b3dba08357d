using ReferralService.Auth;
using ReferralService.Infrastructure;

namespace ReferralService.Customers;

/// <summary>
/// Routes that act for one customer, named by a {customerId} route value, share one rule, applied before any
/// handler: the id must pass the customer-id rule (400), and a customer token acts only for its own id (another
/// id is 404, so ids cannot be probed). Routes under /v1/customers/{customerId} get it from their group; a route
/// elsewhere that names a customer adds it with <see cref="ActsForCustomer"/>.
/// </summary>
internal static class CustomerRoutes
{
    public static RouteGroupBuilder MapCustomerRoutes(this IEndpointRouteBuilder app) =>
        app.MapGroup("/v1/customers/{customerId}").AddEndpointFilter(CustomerScope);

    public static RouteHandlerBuilder ActsForCustomer(this RouteHandlerBuilder builder) => builder.AddEndpointFilter(CustomerScope);

    private static async ValueTask<object?> CustomerScope(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var customerId = context.HttpContext.Request.RouteValues["customerId"] as string;
        if (!Inputs.IsCustomerId(customerId))
        {
            return Problems.Invalid("customerId", Inputs.CustomerIdRule);
        }
        return context.HttpContext.User.MayActFor(customerId!) ? await next(context).ConfigureAwait(false) : Problems.NotFound();
    }
}
