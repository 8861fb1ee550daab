-- Group read receipts (`RCIMIWMessage.groupReadReceiptInfo`): the receipt state of a group
-- message as JSON `{readReceiptMessage, hasRespond, respondUserIds}` (NULL: no receipt was
-- asked for). The sender's devices keep who responded; the members' devices keep that a
-- receipt was asked for and whether this user responded.
ALTER TABLE messages ADD COLUMN group_receipt TEXT;
