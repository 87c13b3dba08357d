using ReferralService.Auth;
using ReferralService.Infrastructure;

namespace ReferralService.Customers;

/// <summary>
/// Routes under /v1/customers/{customerId} share one group and one rule, applied before any handler: the id
/// must pass the customer-id rule (400), and a customer token acts only for its own id (another id is 404,
/// so ids cannot be probed). A new customer route joins the group and gets both for free.
/// </summary>
internal static class CustomerRoutes
{
    public static RouteGroupBuilder MapCustomerRoutes(this IEndpointRouteBuilder app) =>
        app.MapGroup("/v1/customers/{customerId}").AddEndpointFilter(async (context, next) =>
        {
            var customerId = context.HttpContext.Request.RouteValues["customerId"] as string;
            if (!Inputs.IsCustomerId(customerId))
            {
                return Problems.Invalid("customerId", Inputs.CustomerIdRule);
            }
            return context.HttpContext.User.MayActFor(customerId!) ? await next(context).ConfigureAwait(false) : Problems.NotFound();
        });
}
