{#-
    Event resolution, step 1: which event each current mention belongs to, and why.

    Incident mentions are taken in anchor order (the articles' news first, then background
    mentions; earlier reports first). Each mention links to the best earlier mention it is
    compatible with (int_mention_pairs__compatible: same country, compatible attack type,
    overlapping dates, same place name or close by), preferring news over background and a
    same-name match over a distance match. Following the links back gives the anchor: the
    first report of the incident, whose id names the event. A mention with no earlier
    compatible mention anchors a new event, so a background mention joins an existing
    incident when one matches and stands alone otherwise.

    Aggregates ("24 attacks since October") never join an event.
-#}
with recursive

mentions as (
    select * from {{ ref('int_event_mentions__current') }}
),

pairs as (
    select * from {{ ref('int_mention_pairs__compatible') }}
),

best_link as (
    select
        mention_id,
        candidate_mention_id as joined_mention_id,
        match_rule,
        distance_km
    from pairs
    qualify row_number() over (
        partition by mention_id
        order by
            is_candidate_background,
            case match_rule when 'same_place_name' then 0 else 1 end,
            candidate_anchor_rank
    ) = 1
),

links as (
    select
        mentions.mention_id,
        mentions.article_id,
        mentions.anchor_rank,
        best_link.joined_mention_id,
        best_link.match_rule,
        best_link.distance_km
    from mentions
    left join best_link
        on mentions.mention_id = best_link.mention_id
    where mentions.mention_kind = 'incident'
),

-- Links always point to an earlier anchor_rank, so the walk ends at a mention with no link.
walk as (
    select
        mention_id,
        mention_id as reached_mention_id,
        0 as link_depth
    from links
    union all
    select
        walk.mention_id,
        links.joined_mention_id as reached_mention_id,
        walk.link_depth + 1 as link_depth
    from walk
    inner join links
        on walk.reached_mention_id = links.mention_id
    where links.joined_mention_id is not null
),

anchored as (
    select
        mention_id,
        arg_max(reached_mention_id, link_depth) as anchor_mention_id,
        max(link_depth) as link_depth
    from walk
    group by mention_id
),

-- One article never reports one incident twice: when two of its mentions reach the same
-- anchor (through different links), the one nearest the anchor stays and each other one
-- anchors an event of its own.
ranked_in_article as (
    select
        links.*,
        anchored.anchor_mention_id,
        anchored.link_depth,
        row_number() over (
            partition by anchored.anchor_mention_id, links.article_id
            order by
                anchored.link_depth,
                case links.match_rule when 'same_place_name' then 0 else 1 end,
                links.anchor_rank
        ) as nth_in_article
    from links
    inner join anchored
        on links.mention_id = anchored.mention_id
),

incident_log as (
    select
        mention_id,
        case when nth_in_article = 1 then anchor_mention_id else mention_id end
            as anchor_mention_id,
        case when nth_in_article = 1 then joined_mention_id end as joined_mention_id,
        case
            when nth_in_article > 1 then 'split_same_article'
            when joined_mention_id is null then 'new_event'
            else match_rule
        end as merge_rule,
        case when nth_in_article = 1 then distance_km end as distance_km,
        case when nth_in_article = 1 then link_depth else 0 end as link_depth
    from ranked_in_article
),

aggregate_log as (
    select
        mention_id,
        cast(null as varchar) as anchor_mention_id,
        cast(null as varchar) as joined_mention_id,
        'aggregate_not_merged' as merge_rule,
        cast(null as double) as distance_km,
        cast(null as integer) as link_depth
    from mentions
    where mention_kind = 'aggregate'
),

logged as (
    select * from incident_log
    union all
    select * from aggregate_log
),

final as (
    select
        logged.mention_id,
        case
            when logged.anchor_mention_id is not null
                then {{ hash_id('event', ['logged.anchor_mention_id']) }}
        end as event_id,
        logged.anchor_mention_id,
        logged.joined_mention_id,
        logged.merge_rule,
        logged.distance_km,
        logged.link_depth,
        mentions.article_id,
        mentions.source_id,
        mentions.mention_kind,
        mentions.is_background,
        mentions.anchor_rank
    from logged
    inner join mentions
        on logged.mention_id = mentions.mention_id
)

select * from final
