{#- A fixed calendar (1900-2099), so the table never depends on when it is built. -#}
with

days as (
    select cast(range as date) as calendar_date
    from range(date '1900-01-01', date '2100-01-01', interval 1 day)
),

final as (
    select
        calendar_date,
        cast(year(calendar_date) as integer) as calendar_year,
        cast(quarter(calendar_date) as integer) as calendar_quarter,
        cast(month(calendar_date) as integer) as calendar_month,
        monthname(calendar_date) as month_name,
        cast(date_trunc('month', calendar_date) as date) as month_start_date,
        cast(isoyear(calendar_date) as integer) as iso_year,
        cast(weekofyear(calendar_date) as integer) as iso_week,
        cast(isodow(calendar_date) as integer) as iso_day_of_week,
        dayname(calendar_date) as day_name,
        isodow(calendar_date) in (6, 7) as is_weekend
    from days
)

select * from final
