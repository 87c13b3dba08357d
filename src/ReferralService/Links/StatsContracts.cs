namespace ReferralService.Links;

/// <summary>
/// Share-link stats of a code or a program over [from, to). clicks: clicks by people (bots are not recorded) in the
/// period; uniqueVisitors: distinct visitors (IP address hashes) per UTC day, summed over the days; byPlatform: clicks by
/// platform. redemptions: redemptions made in the period, of any status; qualified: those whose rewards were earned
/// (status held: the qualifying order came, the rewards post when the hold ends; rewarded: the qualifying order posted
/// them; or redeemed: a promo redemption, complete when made); reversed:
/// those reversed since. redemptionsFromClicks, qualifiedFromClicks: those attributed to a click. conversion:
/// qualifiedFromClicks / clicks, to 4 decimals (null without clicks). rewardCost: in currency's minor units, the
/// program's cost of the rewarded and redeemed redemptions: referrer reward or commission + the redeemer's credit
/// (referee reward or promo credit) + the discount on the order; pendingRewardCost: the same for redemptions still
/// pending or held; a reversed or expired one counts nothing.
/// </summary>
internal sealed record StatsResponse(
    string? Code, Guid ProgramId, DateTimeOffset From, DateTimeOffset To, string Currency, long Clicks, long UniqueVisitors,
    ClicksByPlatform ByPlatform, long Redemptions, long Qualified, long Reversed, long RedemptionsFromClicks, long QualifiedFromClicks,
    decimal? Conversion, decimal RewardCost, decimal PendingRewardCost);

internal sealed record ClicksByPlatform(long Ios, long Android, long Desktop, long Other);

/// <summary>Stats as code_stats and program_stats answer (link_stats_row after its status column).</summary>
internal sealed record StatsRow(
    Guid ProgramId, string Currency, long Clicks, long UniqueVisitors, long IosClicks, long AndroidClicks, long DesktopClicks,
    long OtherClicks, long Redemptions, long Qualified, long Reversed, long RedemptionsFromClicks, long QualifiedFromClicks,
    decimal RewardCost, decimal PendingRewardCost)
{
    public StatsResponse ToResponse(string? code, DateTimeOffset from, DateTimeOffset to) =>
        new(code, ProgramId, from, to, Currency.Trim(), Clicks, UniqueVisitors, new ClicksByPlatform(IosClicks, AndroidClicks, DesktopClicks, OtherClicks),
            Redemptions, Qualified, Reversed, RedemptionsFromClicks, QualifiedFromClicks,
            Clicks == 0 ? null : Math.Round((decimal)QualifiedFromClicks / Clicks, 4, MidpointRounding.ToEven),
            RewardCost, PendingRewardCost);
}
