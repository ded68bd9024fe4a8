-- Indexes that answer the dashboard summary from the index alone. Without them, at
-- 100,000 reviews each of the summary's queries read the company's rows from the table
-- (figures before and after: BENCHMARKS.md, "Dashboard").

-- Published reviews by stars, and how many have a reply (one pass for count, average,
-- distribution and response rate).
CREATE INDEX reviews_company_status_rating ON reviews (company_id, status, rating, reply_created_at);

-- Reviews submitted in a period, with their rating (new reviews, previous period, the 12
-- months of the trend).
CREATE INDEX reviews_company_submitted_rating ON reviews (company_id, submitted_at, rating);

-- Response times in order, for the median (answered reviews only).
CREATE INDEX reviews_company_response_time
    ON reviews (company_id, status, reply_created_at - submitted_at)
    WHERE reply_created_at IS NOT NULL;
