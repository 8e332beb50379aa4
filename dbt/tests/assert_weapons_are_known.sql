-- Every weapon in every current record is in the extraction contract's weapons enum
-- (accepted_values cannot look inside a list column).
with

mentions as (
    select * from {{ ref('stg_raw__event_mentions') }}
),

weapons as (
    select
        mentions.mention_id,
        weapon_list.weapon
    from mentions
    cross join unnest(mentions.weapons) as weapon_list (weapon)
),

final as (
    select * from weapons
    where weapon not in (
        'rocket', 'mortar', 'artillery', 'missile', 'ballistic_missile', 'drone', 'aircraft',
        'ied', 'car_bomb', 'suicide_explosive', 'grenade', 'landmine', 'explosive', 'firearm',
        'bladed', 'incendiary', 'vehicle', 'other'
    )
)

select * from final
