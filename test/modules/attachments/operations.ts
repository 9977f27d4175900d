export const REQUEST_UPLOAD = /* GraphQL */ `
  mutation Request($input: RequestAttachmentUploadInput!) {
    requestAttachmentUpload(input: $input) {
      __typename
      ... on RequestAttachmentUploadSuccess {
        upload { url method expiresAt headers { name value } attachment { id filename contentType sizeBytes status downloadUrl } }
      }
      ... on Error { message code }
      ... on ValidationError { issues { path message } }
    }
  }
`;

export const CONFIRM_UPLOAD = /* GraphQL */ `
  mutation Confirm($id: ID!) {
    confirmAttachmentUpload(id: $id) {
      __typename
      ... on ConfirmAttachmentUploadSuccess { attachment { id status confirmedAt downloadUrl uploadedBy { id } } }
      ... on Error { message code }
    }
  }
`;

export const DELETE_ATTACHMENT = /* GraphQL */ `
  mutation Delete($id: ID!) {
    deleteAttachment(id: $id) {
      __typename
      ... on DeleteAttachmentSuccess { attachment { id deletedAt downloadUrl } }
      ... on Error { message code }
    }
  }
`;

export const TASK_ATTACHMENTS = /* GraphQL */ `
  query TaskAttachments($id: ID!) {
    node(id: $id) { ... on Task { attachments { id filename contentType sizeBytes status downloadUrl uploadedBy { id } } } }
  }
`;

export const ATTACHMENT = /* GraphQL */ `
  query Attachment($id: ID!) {
    node(id: $id) { ... on Attachment { id status filename downloadUrl deletedAt task { id } } }
  }
`;
