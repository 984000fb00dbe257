-- Appended for checked runs: every response is compared with what the scenario expects
-- (EXPECT_STATUS, and for GraphQL whether an "errors" member may appear).
function response(status, headers, body)
  checked = checked + 1
  if status ~= EXPECT_STATUS or (EXPECT_NO_ERRORS and body:find('"errors"', 1, true)) then
    bad = bad + 1
  end
end
