with

actors as (
    select * from {{ ref('actors') }}
),

names as (
    select
        actor_id,
        canonical_name as alias_name
    from actors
    union all
    select
        actors.actor_id,
        trim(alias_list.alias_name) as alias_name
    from actors
    cross join unnest(string_split(coalesce(actors.aliases, ''), '|')) as alias_list (alias_name)
),

keyed as (
    select distinct
        actor_id,
        lower(trim(alias_name)) as alias_key
    from names
    where trim(alias_name) <> ''
),

final as (
    select
        alias_key,
        actor_id
    from keyed
    -- An alias two actors share ("KH"?) cannot identify either; it is left unmatched.
    qualify count(*) over (partition by alias_key) = 1
)

select * from final
