terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.81.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

data "aws_caller_identity" "current" {}

resource "aws_iam_policy" "roleshift_delegated_boundary" {
  name        = "roleshift-delegated-boundary"
  path        = "/roleshift/"
  description = "Permissions boundary for roles that teams create themselves"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "AllowWithinBoundary"
        Effect   = "Allow"
        Action   = "*"
        Resource = "*"
      },
      {
        Sid    = "DenyUserCredentials"
        Effect = "Deny"
        Action = [
          "iam:CreateAccessKey",
          "iam:CreateLoginProfile",
          "iam:CreateUser",
          "iam:UpdateLoginProfile",
        ]
        Resource = "*"
      },
      {
        Sid      = "DenyRolesWithoutThisBoundary"
        Effect   = "Deny"
        Action   = ["iam:CreateRole", "iam:PutRolePermissionsBoundary"]
        Resource = "*"
        Condition = {
          StringNotLike = {
            "iam:PermissionsBoundary" = "arn:aws:iam::*:policy/roleshift/roleshift-delegated-boundary"
          }
        }
      },
      {
        Sid      = "DenyBoundaryRemoval"
        Effect   = "Deny"
        Action   = ["iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"]
        Resource = "*"
      },
      {
        Sid    = "DenyBoundaryEdits"
        Effect = "Deny"
        Action = [
          "iam:CreatePolicyVersion",
          "iam:DeletePolicy",
          "iam:DeletePolicyVersion",
          "iam:SetDefaultPolicyVersion",
        ]
        Resource = "arn:aws:iam::*:policy/roleshift/roleshift-delegated-boundary"
      },
      {
        Sid      = "DenyOrganizationAndAccountChanges"
        Effect   = "Deny"
        Action   = ["account:*", "organizations:*"]
        Resource = "*"
      },
    ]
  })
  tags = {
    cost-center = "CC-1000"
    managed-by  = "roleshift"
    owner       = "cloud-platform"
  }
}

resource "aws_sns_topic" "roleshift_guardrail_alerts" {
  name = "roleshift-guardrail-alerts"
  tags = {
    cost-center = "CC-1000"
    managed-by  = "roleshift"
    owner       = "cloud-platform"
  }
}

resource "aws_sns_topic_policy" "roleshift_guardrail_alerts" {
  arn = aws_sns_topic.roleshift_guardrail_alerts.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "EventBridgePublish"
        Effect = "Allow"
        Principal = {
          Service = "events.amazonaws.com"
        }
        Action   = "sns:Publish"
        Resource = aws_sns_topic.roleshift_guardrail_alerts.arn
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = data.aws_caller_identity.current.account_id
          }
        }
      },
    ]
  })
}

resource "aws_cloudwatch_event_rule" "roleshift_iam_create_user" {
  name        = "roleshift-iam-create-user"
  description = "An IAM user was created"
  event_pattern = jsonencode({
    source      = ["aws.iam"]
    detail-type = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["iam.amazonaws.com"]
      eventName   = ["CreateUser"]
    }
  })
  tags = {
    cost-center = "CC-1000"
    managed-by  = "roleshift"
    owner       = "cloud-platform"
  }
}

resource "aws_cloudwatch_event_target" "roleshift_iam_create_user" {
  rule      = aws_cloudwatch_event_rule.roleshift_iam_create_user.name
  target_id = "sns"
  arn       = aws_sns_topic.roleshift_guardrail_alerts.arn
}

resource "aws_cloudwatch_event_rule" "roleshift_iam_create_access_key" {
  name        = "roleshift-iam-create-access-key"
  description = "An IAM access key was created"
  event_pattern = jsonencode({
    source      = ["aws.iam"]
    detail-type = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["iam.amazonaws.com"]
      eventName   = ["CreateAccessKey"]
    }
  })
  tags = {
    cost-center = "CC-1000"
    managed-by  = "roleshift"
    owner       = "cloud-platform"
  }
}

resource "aws_cloudwatch_event_target" "roleshift_iam_create_access_key" {
  rule      = aws_cloudwatch_event_rule.roleshift_iam_create_access_key.name
  target_id = "sns"
  arn       = aws_sns_topic.roleshift_guardrail_alerts.arn
}

resource "aws_cloudwatch_event_rule" "roleshift_iam_create_login_profile" {
  name        = "roleshift-iam-create-login-profile"
  description = "An IAM user got a console password"
  event_pattern = jsonencode({
    source      = ["aws.iam"]
    detail-type = ["AWS API Call via CloudTrail"]
    detail = {
      eventSource = ["iam.amazonaws.com"]
      eventName   = ["CreateLoginProfile", "UpdateLoginProfile"]
    }
  })
  tags = {
    cost-center = "CC-1000"
    managed-by  = "roleshift"
    owner       = "cloud-platform"
  }
}

resource "aws_cloudwatch_event_target" "roleshift_iam_create_login_profile" {
  rule      = aws_cloudwatch_event_rule.roleshift_iam_create_login_profile.name
  target_id = "sns"
  arn       = aws_sns_topic.roleshift_guardrail_alerts.arn
}

resource "aws_cloudwatch_event_rule" "roleshift_root_activity" {
  name        = "roleshift-root-activity"
  description = "The root user did something"
  event_pattern = jsonencode({
    detail-type = ["AWS API Call via CloudTrail", "AWS Console Sign In via CloudTrail"]
    detail = {
      userIdentity = {
        type = ["Root"]
      }
    }
  })
  tags = {
    cost-center = "CC-1000"
    managed-by  = "roleshift"
    owner       = "cloud-platform"
  }
}

resource "aws_cloudwatch_event_target" "roleshift_root_activity" {
  rule      = aws_cloudwatch_event_rule.roleshift_root_activity.name
  target_id = "sns"
  arn       = aws_sns_topic.roleshift_guardrail_alerts.arn
}

resource "aws_cloudwatch_event_rule" "roleshift_break_glass_login" {
  name        = "roleshift-break-glass-login"
  description = "A break-glass user signed in to the console"
  event_pattern = jsonencode({
    source      = ["aws.signin"]
    detail-type = ["AWS Console Sign In via CloudTrail"]
    detail = {
      eventName = ["ConsoleLogin"]
      userIdentity = {
        type     = ["IAMUser"]
        userName = ["breakglass"]
      }
    }
  })
  tags = {
    cost-center = "CC-1000"
    managed-by  = "roleshift"
    owner       = "cloud-platform"
  }
}

resource "aws_cloudwatch_event_target" "roleshift_break_glass_login" {
  rule      = aws_cloudwatch_event_rule.roleshift_break_glass_login.name
  target_id = "sns"
  arn       = aws_sns_topic.roleshift_guardrail_alerts.arn
}
