Feature: The answer is a gzip-compressed XML document
  A client of /api/cli_add reads every answer the same way, whatever it says:
  "Returning XML is put in file. That file is gziped and returned as a
  response content." The suite reads the body exactly as the target sent it,
  without asking for or decoding compression, so a target that only
  compresses for clients that ask would be caught. Whether the gzip body is
  framed with Content-Encoding: gzip or as a file download, both satisfy the
  spec. Success is the text of page/status; an error is the text of
  page/status/error.

  @documented
  Scenario: A success answer is gzip data holding an XML page with a status
    Given a request from the admin to add a fresh CLI to a device of the admin's user
    When it is sent
    Then the raw body is gzip data
    And the gzip data is a well-formed XML document whose root is page
    And the answer is the status "CLI successfully created"

  @documented
  Scenario: An error answer is gzip data holding an XML page with an error in its status
    Given a request from an unknown user to add a fresh CLI to a device of the admin's user
    When it is sent
    Then the raw body is gzip data
    And the gzip data is a well-formed XML document whose root is page
    And the answer is the error "Access Denied"

  @inferred
  Scenario: Documented outcomes are answered with HTTP 200
    The page never speaks of HTTP statuses; MOR answers its documented
    outcomes, errors included, with 200 and puts the verdict in the XML.
    Given a request from an accountant without Manage Devices to add a fresh CLI to a device of the admin's user
    When it is sent
    Then the HTTP status is 200
    And the answer is the error "You are not authorised to use this functionality"
