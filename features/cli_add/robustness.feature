Feature: Hostile input gets a clear answer and leaves nothing half-done
  A billing API faces careless and hostile clients. Whatever it is sent, it
  answers with its usual gzip-compressed XML page, never a server error, and
  it stores a CLI exactly when it says it did: a refused request changes
  nothing, an acknowledged one is kept.

  @robustness
  Scenario: A parameter given twice gets a clear answer
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And its cli_number is given twice
    When it is sent
    Then the answer is a well-formed page, not a server error
    And the CLI is stored exactly when it was acknowledged

  @robustness
  Scenario: An over-long description gets a clear answer
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And its cli_description is 10000 characters long
    When it is sent
    Then the answer is a well-formed page, not a server error
    And the CLI is stored exactly when it was acknowledged

  @robustness
  Scenario: A comment that is not UTF-8 gets a clear answer
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And its comment holds bytes that are not UTF-8
    When it is sent
    Then the answer is a well-formed page, not a server error
    And the CLI is stored exactly when it was acknowledged

  @robustness
  Scenario: A JSON body cut short gets a clear answer
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And it is sent as a JSON body that is cut short
    When it is sent
    Then the answer is a well-formed page, not a server error

  @robustness
  Scenario: SQL metacharacters are accepted as plain text and the CLI is kept
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    And its cli_description is "x'); DROP TABLE clis; --"
    And its comment is "1' OR '1'='1"
    When it is sent
    Then the answer is the status "CLI successfully created"
    And the CLI is stored exactly when it was acknowledged
    And a fresh CLI can still be added to a device of the admin's user
